"""/docs and /redoc work offline: every asset comes from the API itself."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from tests.conftest import make_settings
from workers.web import create_app


async def test_docs_pages_load_their_assets_from_the_api(tmp_path: Path) -> None:
    transport = httpx.ASGITransport(app=create_app(make_settings(tmp_path)))
    async with httpx.AsyncClient(transport=transport, base_url="http://api") as client:
        for page in ("/docs", "/redoc"):
            html = await client.get(page)
            assert html.status_code == 200
            assert "cdn" not in html.text.lower() and "fonts.googleapis" not in html.text
            assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html.text)
            assets += re.findall(r"""url: ?["']([^"']+\.(?:js|css))["']""", html.text)
            assert assets, html.text
            for asset in assets:
                assert asset.startswith("/"), f"{page} loads {asset} from elsewhere"
                response = await client.get(asset)
                assert response.status_code == 200 and len(response.content) > 1000, asset
