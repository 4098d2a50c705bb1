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
    /// The mode the user last switched the dashboard to: their next login's.
    pub livemode: i64,
}

/// A signed-in dashboard user, as the cookie proves.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Login {
    pub user_id: String,
    pub merchant_id: String,
    pub email: String,
    pub merchant_name: String,
    pub csrf_token: String,
    /// The mode the dashboard shows this login: 1 live, 0 test.
    pub livemode: i64,
}

impl Login {
    pub fn live(&self) -> bool {
        self.livemode != 0
    }
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
            livemode: 0,
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
            "SELECT id, merchant_id, email, password_hash, created_at, livemode FROM dashboard_users WHERE email = $1",
        )
        .bind(email.trim().to_lowercase())
        .fetch_optional(self.reader())
        .await?)
    }

    /// A new login for `user`, looking at the data the user last chose.
    pub async fn create_login(
        &self,
        user: &DashboardUser,
        token: &str,
        csrf_token: &str,
        lifetime_ms: i64,
    ) -> Result<()> {
        let now = now_ms();
        sqlx::query(
            "INSERT INTO dashboard_logins (token_digest, user_id, csrf_token, created_at, expires_at, livemode)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(token_digest(token))
        .bind(&user.id)
        .bind(csrf_token)
        .bind(now)
        .bind(now + lifetime_ms)
        .bind(user.livemode)
        .execute(&self.write)
        .await?;
        Ok(())
    }

    pub async fn login(&self, token: &str) -> Result<Option<Login>> {
        Ok(sqlx::query_as(
            "SELECT u.id AS user_id, u.merchant_id, u.email, m.name AS merchant_name, l.csrf_token, l.livemode
             FROM dashboard_logins l JOIN dashboard_users u ON u.id = l.user_id JOIN merchants m ON m.id = u.merchant_id
             WHERE l.token_digest = $1 AND l.expires_at > $2",
        )
        .bind(token_digest(token))
        .bind(now_ms())
        .fetch_optional(self.reader())
        .await?)
    }

    /// Switches the login's dashboard to live (`live`) or test data, and
    /// its user's next logins with it.
    pub async fn set_login_mode(&self, token: &str, live: bool) -> Result<()> {
        let mut tx = self.begin().await?;
        for change in [
            "UPDATE dashboard_logins SET livemode = $1 WHERE token_digest = $2",
            "UPDATE dashboard_users SET livemode = $1
             WHERE id = (SELECT user_id FROM dashboard_logins WHERE token_digest = $2)",
        ] {
            sqlx::query(change).bind(i64::from(live)).bind(token_digest(token)).execute(tx.conn()).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn end_login(&self, token: &str) -> Result<()> {
        sqlx::query("DELETE FROM dashboard_logins WHERE token_digest = $1")
            .bind(token_digest(token))
            .execute(&self.write)
            .await?;
        Ok(())
    }
}
