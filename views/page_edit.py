from views.edit_view import render

render()
