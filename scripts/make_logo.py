"""Draws assets/logo.png (wordmark) and assets/icon.png (app icon) with Pillow.

Kept so the assets can be redrawn; run: python scripts/make_logo.py
"""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ASSETS = Path(__file__).resolve().parent.parent / "assets"
GREEN = (31, 107, 74)
SAND = (232, 200, 140)
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def mark(draw: ImageDraw.ImageDraw, x: int, y: int, size: int) -> None:
    """Rounded square with three terraced bands: fields on a hillside."""
    draw.rounded_rectangle([x, y, x + size, y + size], radius=size // 5, fill=GREEN)
    band = size // 7
    for i, width in enumerate((0.55, 0.72, 0.88)):
        top = y + size // 3 + i * int(band * 1.5)
        left = x + int(size * (1 - width) / 2)
        draw.rounded_rectangle([left, top, left + int(size * width), top + band], radius=band // 2, fill=SAND)


def main() -> None:
    icon = Image.new("RGBA", (512, 512), (0, 0, 0, 0))
    mark(ImageDraw.Draw(icon), 16, 16, 480)
    icon.save(ASSETS / "icon.png")

    logo = Image.new("RGBA", (900, 240), (0, 0, 0, 0))
    draw = ImageDraw.Draw(logo)
    mark(draw, 10, 20, 200)
    draw.text((240, 45), "Terreno", font=ImageFont.truetype(FONT, 130), fill=GREEN)
    logo.save(ASSETS / "logo.png")


if __name__ == "__main__":
    main()
