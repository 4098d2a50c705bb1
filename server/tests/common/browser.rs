//! The dashboard as a browser without JavaScript uses it: a signed-in
//! cookie, forms posted with the page's CSRF token.

use super::TestApp;
use reqwest::StatusCode;

pub const PASSWORD: &str = "correct horse battery staple";

/// A browser's worth of state: the session cookie and the page's CSRF token.
pub struct Browser<'a> {
    pub app: &'a TestApp,
    pub cookie: String,
}

impl<'a> Browser<'a> {
    /// Signs in; when refused, the sign-in page the browser is sent back to.
    pub async fn sign_in(app: &'a TestApp, email: &str, password: &str) -> Result<Browser<'a>, String> {
        Browser::sign_in_from(app, email, password, None).await
    }

    /// Signs in from the client address `from`, as a trusted proxy reports it.
    pub async fn sign_in_from(
        app: &'a TestApp,
        email: &str,
        password: &str,
        from: Option<&str>,
    ) -> Result<Browser<'a>, String> {
        let forwarded = |request: reqwest::RequestBuilder| match from {
            Some(ip) => request.header("x-forwarded-for", ip),
            None => request,
        };
        let post = app.client.post(format!("{}/dashboard/fn/sign_in", app.url));
        let response = forwarded(post).form(&[("email", email), ("password", password)]).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let set_cookie = response.headers().get("set-cookie").and_then(|v| v.to_str().ok()).map(str::to_string);
        match set_cookie {
            Some(cookie) => {
                assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
                assert_eq!(super::location(&response), "/dashboard");
                Ok(Browser { app, cookie: cookie.split(';').next().unwrap().to_string() })
            }
            None => {
                assert_eq!(super::location(&response), "/dashboard/sign-in");
                let page = forwarded(app.client.get(format!("{}/dashboard/sign-in", app.url)));
                Err(page.send().await.unwrap().text().await.unwrap())
            }
        }
    }

    pub async fn get(&self, path: &str) -> (StatusCode, String) {
        let response =
            self.app.client.get(format!("{}{path}", self.app.url)).header("cookie", &self.cookie).send().await.unwrap();
        (response.status(), response.text().await.unwrap())
    }

    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.app
            .client
            .post(format!("{}{path}", self.app.url))
            .header("cookie", &self.cookie)
            .form(form)
            .send()
            .await
            .unwrap()
    }

    pub async fn csrf(&self) -> String {
        let (_, page) = self.get("/dashboard").await;
        let start = page.find("name=\"csrf\" value=\"").expect("a CSRF field") + 19;
        page[start..].split('"').next().unwrap().to_string()
    }
}

pub async fn user(app: &TestApp, merchant_id: &str, email: &str) {
    let hash = server::dashboard::auth::hash_password(PASSWORD).unwrap();
    app.state.store.insert_dashboard_user(merchant_id, email, &hash).await.unwrap();
}

/// A dashboard user for the app's own merchant, signed in.
pub async fn signed_in(app: &TestApp) -> Browser<'_> {
    user(app, &app.merchant_id, "owner@shop.example").await;
    Browser::sign_in(app, "owner@shop.example", PASSWORD).await.expect("the owner signs in")
}
