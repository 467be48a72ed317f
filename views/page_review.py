from views.review_view import render

render()
