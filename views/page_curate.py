from views.curate_view import render

render()
