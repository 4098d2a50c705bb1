use crate::checks::Concealed;
use crate::failure::Failure;
use leptos::{prelude::*, server_fn::ServerFn};

#[server(prefix = "/dashboard/fn", endpoint = "sign_in")]
pub async fn sign_in(#[server(default)] email: String, #[server(default)] password: Concealed) -> Result<(), Failure> {
    use crate::desk;
    desk::answer_setting(desk::dashboard()?.sign_in(&desk::request()?, email, password.0).await)
}

#[component]
pub fn SignInPage(email: String, error: Option<String>) -> impl IntoView {
    view! {
        <main class="checkout">
            <section class="card">
                <h1>"Sign in to Kassa"</h1>
                {error.map(|e| view! { <div class="decline" role="alert" data-testid="sign-in-error">{e}</div> })}
                <form method="post" action=SignIn::PATH>
                    <div class="field">
                        <label for="email">"Email"</label>
                        <input id="email" name="email" type="email" autocomplete="username" required value=email/>
                    </div>
                    <div class="field">
                        <label for="password">"Password"</label>
                        <input id="password" name="password" type="password" autocomplete="current-password" required/>
                    </div>
                    <button type="submit" class="pay">"Sign in"</button>
                </form>
            </section>
        </main>
    }
}
