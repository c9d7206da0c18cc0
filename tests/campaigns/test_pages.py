"""The campaigns list and a campaign's page: its posts and their disclosure, what people say, the language API."""

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.comments.world import TEXTS, seed
from tests.support import api_headers, csrf_from


def test_campaign_page_and_api(owner_client: TestClient, engine: Engine) -> None:
    ids = seed(engine)
    token_page = owner_client.get("/campaigns").text
    assert f'href="/campaigns/{ids["campaign"]}"' in token_page
    assert "£1,250.00" in token_page  # a budget shows its currency
    page = owner_client.get(f"/campaigns/{ids['campaign']}")
    assert page.status_code == 200 and "Serum launch" in page.text and "Ana" in page.text
    disclosure = page.text[page.text.index('id="disclosure"') :]
    assert (
        "0 of 1 sponsored posts clearly disclosed" in disclosure and "@ana.glow" in disclosure and "#sp" in disclosure
    )
    owner_client.post(f"/campaigns/{ids['campaign']}", data={"csrf_token": csrf_from(page.text)})
    data = owner_client.get(f"/api/v1/campaigns/{ids['campaign']}/language").json()
    assert data["total"] == len(TEXTS) and data["unlabelled"] == 0
    assert data["intent"]["bought"] == 1 and abs(sum(data["sentiment"].values()) - 1) < 1e-9
    assert data["questions"][0]["text"] == "does it work on sensitive skin?"
    creator = owner_client.get(f"/api/v1/creators/{ids['Mo']}/language").json()
    assert creator["total"] == 0 and creator["unlabelled"] == 3
    run = owner_client.post(f"/api/v1/creators/{ids['Mo']}/language", headers=api_headers(owner_client)).json()
    assert run["comments"] == 3 and run["mode"] == "full"
    themes = owner_client.get(f"/api/v1/campaigns/{ids['campaign']}/themes").json()
    assert themes and {"name", "words", "comments", "share", "examples"} <= set(themes[0])
    missing = owner_client.get("/api/v1/campaigns/99999/language")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("application/problem+json")
