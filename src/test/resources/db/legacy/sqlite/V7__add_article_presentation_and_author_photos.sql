-- How an article presents itself outside its page (excerpt for lists and feeds, title and
-- description for search engines and link previews), and author photos from the media library.
ALTER TABLE articles ADD COLUMN excerpt TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN seo_title TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN seo_description TEXT NOT NULL DEFAULT '';
ALTER TABLE authors ADD COLUMN photo_url TEXT NOT NULL DEFAULT '';
