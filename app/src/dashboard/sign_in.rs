use leptos::prelude::*;

#[component]
pub fn SignIn(email: String, error: Option<String>) -> impl IntoView {
    view! {
        <main class="checkout">
            <section class="card">
                <h1>"Sign in to Kassa"</h1>
                {error.map(|e| view! { <div class="decline" role="alert" data-testid="sign-in-error">{e}</div> })}
                <form method="post" action="/dashboard/sign-in">
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
