from views.present_view import render

render()
