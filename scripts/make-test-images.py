#!/usr/bin/env python3
"""Test images for Gazette's pictures (issue 16), made deterministically with Pillow (in the test venv).

    .venv/bin/python scripts/make-test-images.py                 # the small fixtures into Tests/Fixtures/images/
    .venv/bin/python scripts/make-test-images.py --photos DIR    # 20 photo-like 1280 px JPEGs for `make bench`
    .venv/bin/python scripts/make-test-images.py --large FILE    # a valid 30 MB JPEG (too many bytes); never committed

Every picture is drawn from a seed: the same command gives the same pixels (the encoded bytes also depend on the
Pillow/libjpeg/libwebp version, which is why the fixtures are committed rather than made at test time).
"""
from __future__ import annotations

import argparse
import hashlib
import io
import pathlib
import struct
import zlib

from PIL import Image, ImageDraw, ImageFilter

ROOT = pathlib.Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "Tests" / "Fixtures" / "images"


def noise(size: tuple[int, int], seed: str) -> Image.Image:
    """Grey noise from SHA-256 in counter mode: deterministic and fast enough in pure Python."""
    width, height = size
    needed = width * height
    out = bytearray()
    counter = 0
    while len(out) < needed:
        out += hashlib.sha256(f"{seed}:{counter}".encode()).digest()
        counter += 1
    return Image.frombytes("L", size, bytes(out[:needed]))


def photo(size: tuple[int, int], seed: int) -> Image.Image:
    """A landscape-like picture: sky gradient, sun, hills, a little grain (so JPEG sizes look like a photo's)."""
    width, height = size
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    hue = (seed * 37) % 255
    for y in range(height):
        t = y / max(height - 1, 1)
        draw.line([(0, y), (width, y)], fill=(int(40 + 120 * t + hue / 4) % 256, int(90 + 100 * t), int(200 - 80 * t)))
    r = height // 7
    cx, cy = width * (0.2 + 0.6 * ((seed * 7) % 10) / 10), height * 0.28
    draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=(250, 220, 120))
    for layer in range(3):
        base = height * (0.55 + 0.13 * layer)
        colour = (30 + 25 * layer + seed % 20, 110 - 20 * layer, 40 + 10 * layer)
        points = [(0, height)]
        for i in range(0, 21):
            x = width * i / 20
            wobble = ((i * (seed + 3) * 7919 + layer * 104729) % 97) / 97 - 0.5
            points.append((x, base + wobble * height * 0.12))
        points.append((width, height))
        draw.polygon(points, fill=colour)
    for i in range(12):  # houses / rocks: hard edges, as in real photos
        x = (i * 97 + seed * 31) % width
        y = int(height * 0.72) + (i * 13) % (height // 6)
        draw.rectangle([x, y, x + width // 30, y + height // 25], fill=(180 - i * 5, 60 + i * 7, 50 + i * 3))
    image = image.filter(ImageFilter.GaussianBlur(1.2))
    grain = noise(size, f"grain{seed}").filter(ImageFilter.GaussianBlur(0.6))
    return Image.composite(image, Image.merge("RGB", (grain, grain, grain)), Image.new("L", size, 243))


def save(image: Image.Image, name: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, **options)
    data = buffer.getvalue()
    (FIXTURES / name).write_bytes(data)
    return data


def chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def fixtures() -> None:
    FIXTURES.mkdir(parents=True, exist_ok=True)
    jpeg = save(photo((1280, 853), 1), "photo-1280x853.jpg", format="JPEG", quality=85)
    save(photo((640, 480), 2), "progressive-640x480.jpg", format="JPEG", quality=80, progressive=True)
    save(photo((320, 240), 3).convert("L"), "grey-320x240.jpg", format="JPEG", quality=85)
    save(photo((300, 400), 4).convert("CMYK"), "cmyk-300x400.jpg", format="JPEG", quality=85)
    save(photo((3000, 2000), 5).filter(ImageFilter.GaussianBlur(2)), "large-3000x2000.jpg", format="JPEG", quality=70)
    save(photo((400, 267), 6), "photo-400x267.png", format="PNG", optimize=True)
    logo = Image.new("RGBA", (240, 160), (0, 0, 0, 0))
    ImageDraw.Draw(logo).ellipse([20, 10, 220, 150], fill=(30, 120, 220, 200), outline=(10, 40, 90, 255), width=6)
    save(logo, "logo-alpha-240x160.png", format="PNG", optimize=True)
    save(photo((800, 533), 7), "photo-800x533.webp", format="WEBP", quality=80, method=4)
    save(logo, "logo-alpha-240x160.webp", format="WEBP", lossless=True)
    save(photo((2400, 1600), 11).filter(ImageFilter.GaussianBlur(2)), "large-2400x1600.webp", format="WEBP", quality=60)
    frames = [photo((64, 64), 8), photo((64, 64), 9)]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="WEBP", save_all=True, append_images=frames[1:], duration=100, loop=0)
    (FIXTURES / "animated-64x64.webp").write_bytes(buffer.getvalue())
    save(photo((64, 48), 10), "tiny.gif", format="GIF")
    # Broken files: a JPEG cut in half (header fine, no end marker), a PNG with a damaged chunk, random bytes.
    (FIXTURES / "corrupt-truncated.jpg").write_bytes(jpeg[: len(jpeg) // 2])
    png = bytearray((FIXTURES / "photo-400x267.png").read_bytes())
    png[60] ^= 0xFF
    (FIXTURES / "corrupt-checksum.png").write_bytes(bytes(png))
    (FIXTURES / "garbage.jpg").write_bytes(hashlib.sha256(b"garbage").digest() * 8)
    # Headers declaring 20,000 × 20,000 pixels in a few dozen bytes: must be refused before any decoding.
    ihdr = struct.pack(">IIBBBBB", 20_000, 20_000, 8, 2, 0, 0, 0)
    (FIXTURES / "header-20000x20000.png").write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 16)) + chunk(b"IEND", b""))
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 17, 8, 20_000, 20_000, 3) + bytes([1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1])
    sos = b"\xff\xda" + struct.pack(">HB", 12, 3) + bytes([1, 0, 2, 0x11, 3, 0x11, 0, 63, 0])
    (FIXTURES / "header-20000x20000.jpg").write_bytes(b"\xff\xd8" + sof + sos + b"\x00" * 16 + b"\xff\xd9")


def large(path: pathlib.Path, megabytes: int = 30) -> None:
    """A valid JPEG of `megabytes` MB: the 1280 px photo with comment segments (65,533 bytes each) after its start."""
    jpeg = io.BytesIO()
    photo((1280, 853), 1).save(jpeg, format="JPEG", quality=85)
    data = jpeg.getvalue()
    segment = b"\xff\xfe" + struct.pack(">H", 65535) + b"\x20" * 65533
    count = (megabytes * 1024 * 1024 - len(data)) // len(segment) + 1
    path.write_bytes(data[:2] + segment * count + data[2:])


def photos(directory: pathlib.Path, count: int) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for index in range(1, count + 1):
        photo((1280, 853), 100 + index).save(directory / f"photo-{index:02d}.jpg", format="JPEG", quality=85)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--photos", type=pathlib.Path, help="write --count 1280 px photos here (bench)")
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--large", type=pathlib.Path, help="write a valid 30 MB JPEG to this file")
    args = parser.parse_args()
    if args.photos:
        photos(args.photos, args.count)
    elif args.large:
        large(args.large)
    else:
        fixtures()


if __name__ == "__main__":
    main()
