#!/usr/bin/env python3
"""What `make run` starts, checked end to end (`make test-run`): the release
build on loopback port 3393 with fresh demo data serves its health check,
the demo session's hosted page with its card form, and every file that page
names, compressed."""

import re
import sys
import urllib.request

from bench import Kassa, fetch


def main():
    kassa = None
    try:
        kassa = Kassa(3393)
        with urllib.request.urlopen(f"{kassa.url}/healthz") as health:
            assert health.status == 200, health.status
        page = fetch(f"{kassa.url}/pay/{kassa.session}", "identity")[0].decode()
        assert 'id="checkout-form-data"' in page, "the card form's data is on the page"
        assert 'class="pay-form"' in page, "the card form itself"
        assets = re.findall(r"/pkg/kassa\.[0-9a-f]{16}\.(?:css|js|wasm)", page)
        assert {a.rsplit(".", 1)[1] for a in assets} == {"css", "js", "wasm"}, assets
        for asset in sorted(set(assets)):
            body, headers = fetch(kassa.url + asset)
            assert headers.get("Content-Encoding") == "br" and len(body) > 0, asset
        print(f"make run's build serves {kassa.url}/pay/{kassa.session} and its {len(set(assets))} files")
    finally:
        if kassa:
            kassa.stop()


if __name__ == "__main__":
    sys.exit(main())
