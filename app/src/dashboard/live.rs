use super::{badge_class, SessionRow};
use leptos::{html::Div, prelude::*};
use std::time::Duration;

/// The sessions table, as the server renders it (also for live updates).
#[component]
pub fn SessionsTable(rows: Vec<SessionRow>) -> impl IntoView {
    let empty = rows.is_empty();
    let rows = rows
        .into_iter()
        .map(|r| {
            view! {
                <tr>
                    <td><a href=format!("/dashboard/sessions/{}", r.id)>{r.id.clone()}</a></td>
                    <td>{r.created}</td>
                    <td>{r.email}</td>
                    <td>{r.order_id}</td>
                    <td class="num">{r.amount}</td>
                    <td><span class=badge_class(&r.state)>{r.state.clone()}</span></td>
                    <td>{r.source}</td>
                </tr>
            }
        })
        .collect_view();
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
                <tbody>{rows}</tbody>
            </table>
        </div>
        {empty.then(|| view! { <p class="empty">"No checkout sessions match."</p> })}
    }
}

/// Server-rendered content that the open page asks for again every few
/// seconds and swaps in, so new sessions and changed states show up while
/// the merchant watches. The island carries only the URL: the rows stay
/// HTML, and the hosted checkout's WebAssembly does not grow with them.
#[island]
pub fn LiveRegion(poll: String, children: Children) -> impl IntoView {
    let region = NodeRef::<Div>::new();
    Effect::new(move |_| crate::browser::poll_html(poll.clone(), Duration::from_secs(3), region));
    view! { <div class="live" aria-live="polite" node_ref=region>{children()}</div> }
}
