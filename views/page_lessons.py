from views.lessons_view import render

render()
