from views.timeline_view import render

render()
