from views.sources_view import render

render()
