from views.lens_view import render

render()
