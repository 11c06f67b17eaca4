-- How a story looks when its link is shared (OpenGraph, Twitter/X cards): its own title,
-- description and image; empty means the search title or headline, the search description or
-- deck, and the featured image.
ALTER TABLE articles ADD COLUMN social_title TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN social_description TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN social_image TEXT NOT NULL DEFAULT '';
