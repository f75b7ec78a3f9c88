//! The HTML side: a session from the login form, pages, forms with their CSRF token.

use super::*;

impl TestApp {
    /// Logs in through the UI form; returns the session cookie and the session's CSRF token.
    pub async fn web_login(&self, username: &str) -> (String, String) {
        let page = self
            .send(Request::get("/login").body(Body::empty()).unwrap())
            .await;
        let login_cookie = set_cookie(&page.headers, "anjian_login_csrf").unwrap_or_default();
        let csrf = hidden(&page.text(), "_csrf");
        let form = format!("_csrf={csrf}&next=%2F&username={username}&password={PASSWORD}");
        let r = self
            .send(
                Request::post("/login")
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .header(header::COOKIE, format!("anjian_login_csrf={login_cookie}"))
                    .body(Body::from(form))
                    .unwrap(),
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::SEE_OTHER,
            "web login {username}: {}",
            r.text()
        );
        let session = set_cookie(&r.headers, "anjian_session").unwrap_or_default();
        // The session's token is on every page (the logout form); an enterprise's home is a
        // redirect to its record, so follow it.
        let mut home = self.page("/", &session).await;
        if home.status == StatusCode::SEE_OTHER
            && let Some(to) = home
                .headers
                .get(header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        {
            home = self.page(&to, &session).await;
        }
        (session, hidden(&home.text(), "_csrf"))
    }

    pub async fn page(&self, path: &str, session: &str) -> Resp {
        self.send(
            Request::get(path)
                .header(header::COOKIE, format!("anjian_session={session}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }

    pub async fn form(&self, path: &str, session: &str, pairs: &[(&str, &str)]) -> Resp {
        let body: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish();
        self.send(
            Request::post(path)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, format!("anjian_session={session}"))
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }
}

pub fn set_cookie(h: &axum::http::HeaderMap, name: &str) -> Option<String> {
    h.get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| {
            let first = v.split(';').next()?;
            let (k, val) = first.split_once('=')?;
            (k == name).then(|| val.to_string())
        })
}

pub fn hidden(html: &str, name: &str) -> String {
    let needle = format!("name=\"{name}\" value=\"");
    html.find(&needle)
        .map(|i| {
            html[i + needle.len()..]
                .split('"')
                .next()
                .unwrap_or_default()
                .to_string()
        })
        .unwrap_or_default()
}
