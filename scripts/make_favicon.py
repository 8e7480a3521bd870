"""Draws reception/static/img/favicon.ico (run from the repository root): a state-blue rounded square,
a white ticket with a yellow stripe (the queue). Kept so the icon can be redrawn, not run by the product."""
from PIL import Image, ImageDraw

S = 256
img = Image.new("RGBA", (S, S), (0, 0, 0, 0))
d = ImageDraw.Draw(img)
d.rounded_rectangle((0, 0, S - 1, S - 1), radius=48, fill=(11, 61, 145, 255))
# the ticket
d.rounded_rectangle((56, 40, 200, 216), radius=18, fill=(255, 255, 255, 255))
d.rectangle((56, 82, 200, 108), fill=(255, 210, 0, 255))
for y in (136, 166):
    d.rounded_rectangle((80, y, 176, y + 14), radius=7, fill=(11, 61, 145, 255))
img.save("reception/static/img/favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])

