"""Draws media/icon.png (128x128): a rounded dark tile with a cursor bar and ghost-text lines.
Pure standard library, so anyone can regenerate it."""
import struct, zlib, os

W = H = 128
BG = (30, 34, 46)
SOLID = (120, 200, 255)
GHOST = (120, 130, 150)
CURSOR = (255, 255, 255)

def inside_rounded(x, y, r=22):
    cx = min(max(x, r), W - 1 - r)
    cy = min(max(y, r), H - 1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r

px = [[(0, 0, 0, 0)] * W for _ in range(H)]
for y in range(H):
    for x in range(W):
        if inside_rounded(x, y):
            px[y][x] = BG + (255,)

def rect(x0, y0, x1, y1, color, alpha=255):
    for y in range(y0, y1):
        for x in range(x0, x1):
            if inside_rounded(x, y):
                px[y][x] = color + (alpha,)

# typed code (solid) and the suggestion (ghost, dashed)
rect(22, 30, 70, 40, SOLID)
rect(22, 52, 52, 62, SOLID)
rect(56, 48, 60, 66, CURSOR)          # the cursor
for x in range(64, 108, 12):
    rect(x, 52, x + 8, 62, GHOST)
for x in range(22, 96, 12):
    rect(x, 74, x + 8, 84, GHOST)
for x in range(34, 84, 12):
    rect(x, 96, x + 8, 106, GHOST)

raw = b''.join(b'\x00' + b''.join(struct.pack('BBBB', *p) for p in row) for row in px)
def chunk(tag, data):
    return struct.pack('>I', len(data)) + tag + data + struct.pack('>I', zlib.crc32(tag + data) & 0xffffffff)
png = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', W, H, 8, 6, 0, 0, 0)) + chunk(b'IDAT', zlib.compress(raw, 9)) + chunk(b'IEND', b'')
out = os.path.join(os.path.dirname(__file__), '..', 'media', 'icon.png')
open(out, 'wb').write(png)
print('wrote', out, len(png), 'bytes')
