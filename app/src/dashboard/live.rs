use super::{badge_class, SessionRow};
use leptos::prelude::*;
use std::time::Duration;

/// The sessions table. Rendered on the server; once hydrated it asks for its
/// rows again every few seconds, so new sessions and changed states show up
/// while the merchant watches.
#[island]
pub fn LiveSessions(rows: Vec<SessionRow>, poll: String) -> impl IntoView {
    let rows = RwSignal::new(rows);
    Effect::new(move |_| {
        crate::browser::poll_json(poll.clone(), Duration::from_secs(3), move |fresh: Vec<SessionRow>| rows.set(fresh))
    });
    view! {
        <div class="table-wrap">
            <table class="sessions">
                <thead>
                    <tr>
                        <th scope="col">"Session"</th>
                        <th scope="col">"Created"</th>
                        <th scope="col">"Customer"</th>
                        <th scope="col">"Order"</th>
                        <th scope="col" class="num">"Amount"</th>
                        <th scope="col">"State"</th>
                        <th scope="col">"Source"</th>
                    </tr>
                </thead>
                <tbody aria-live="polite">
                    <For each=move || rows.get() key=|r| (r.id.clone(), r.state.clone()) let:r>
                        <tr>
                            <td><a href=format!("/dashboard/sessions/{}", r.id)>{r.id.clone()}</a></td>
                            <td>{r.created.clone()}</td>
                            <td>{r.email.clone()}</td>
                            <td>{r.order_id.clone()}</td>
                            <td class="num">{r.amount.clone()}</td>
                            <td><span class=badge_class(&r.state)>{r.state.clone()}</span></td>
                            <td>{r.source.clone()}</td>
                        </tr>
                    </For>
                </tbody>
            </table>
        </div>
        {move || rows.with(Vec::is_empty).then(|| view! { <p class="empty">"No checkout sessions match."</p> })}
    }
}
