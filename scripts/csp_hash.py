#!/usr/bin/env python3
"""Trunk post-build hook: allow exactly the inline scripts Trunk wrote, by their SHA-256 hash.

Trunk starts the app with an inline <script type="module">; the page's Content-Security-Policy
(index.html) forbids inline scripts except those whose hash it lists. This fills the
__INLINE_SCRIPT_HASHES__ placeholder in the staged index.html with the hash of each inline script.
"""
import base64, hashlib, os, re, sys

staging = os.environ.get("TRUNK_STAGING_DIR")
if not staging:
    sys.exit("csp_hash.py: TRUNK_STAGING_DIR is not set (run it from Trunk's post_build hook)")
path = os.path.join(staging, "index.html")
html = open(path, encoding="utf-8").read()
scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, flags=re.S)
hashes = " ".join(
    "'sha256-%s'" % base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() for s in scripts
)
if "__INLINE_SCRIPT_HASHES__" not in html:
    sys.exit("csp_hash.py: no __INLINE_SCRIPT_HASHES__ placeholder in index.html")
open(path, "w", encoding="utf-8").write(html.replace("__INLINE_SCRIPT_HASHES__", hashes))
print("csp_hash.py: allowed %d inline script(s)" % len(scripts))
