from views.add_article_view import render as add_article
from views.curate_view import render

add_article()
render()
