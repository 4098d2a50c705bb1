//! Dashboard users and their signed-in sessions. Passwords are argon2id
//! hashes; the cookie's token is random and only its digest is stored.

use super::{Result, Store};
use crate::{ids::new_id, time::now_ms};
use sha2::{Digest, Sha256};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct DashboardUser {
    pub id: String,
    pub merchant_id: String,
    pub email: String,
    pub password_hash: String,
    pub created_at: i64,
}

/// A signed-in dashboard user, as the cookie proves.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Login {
    pub user_id: String,
    pub merchant_id: String,
    pub email: String,
    pub merchant_name: String,
    pub csrf_token: String,
}

pub fn token_digest(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

impl Store {
    pub async fn insert_dashboard_user(
        &self,
        merchant_id: &str,
        email: &str,
        password_hash: &str,
    ) -> Result<DashboardUser> {
        let user = DashboardUser {
            id: new_id("usr"),
            merchant_id: merchant_id.to_string(),
            email: email.trim().to_lowercase(),
            password_hash: password_hash.to_string(),
            created_at: now_ms(),
        };
        sqlx::query(
            "INSERT INTO dashboard_users (id, merchant_id, email, password_hash, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&user.id)
        .bind(&user.merchant_id)
        .bind(&user.email)
        .bind(&user.password_hash)
        .bind(user.created_at)
        .execute(&self.write)
        .await?;
        Ok(user)
    }

    pub async fn dashboard_user(&self, email: &str) -> Result<Option<DashboardUser>> {
        Ok(sqlx::query_as(
            "SELECT id, merchant_id, email, password_hash, created_at FROM dashboard_users WHERE email = $1",
        )
        .bind(email.trim().to_lowercase())
        .fetch_optional(self.reader())
        .await?)
    }

    pub async fn create_login(&self, user_id: &str, token: &str, csrf_token: &str, lifetime_ms: i64) -> Result<()> {
        let now = now_ms();
        sqlx::query(
            "INSERT INTO dashboard_logins (token_digest, user_id, csrf_token, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_digest(token))
        .bind(user_id)
        .bind(csrf_token)
        .bind(now)
        .bind(now + lifetime_ms)
        .execute(&self.write)
        .await?;
        Ok(())
    }

    pub async fn login(&self, token: &str) -> Result<Option<Login>> {
        Ok(sqlx::query_as(
            "SELECT u.id AS user_id, u.merchant_id, u.email, m.name AS merchant_name, l.csrf_token
             FROM dashboard_logins l JOIN dashboard_users u ON u.id = l.user_id JOIN merchants m ON m.id = u.merchant_id
             WHERE l.token_digest = $1 AND l.expires_at > $2",
        )
        .bind(token_digest(token))
        .bind(now_ms())
        .fetch_optional(self.reader())
        .await?)
    }

    pub async fn end_login(&self, token: &str) -> Result<()> {
        sqlx::query("DELETE FROM dashboard_logins WHERE token_digest = $1")
            .bind(token_digest(token))
            .execute(&self.write)
            .await?;
        Ok(())
    }
}
