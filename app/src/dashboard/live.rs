use super::{badge_class, SessionRow};
use leptos::prelude::*;

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
/// the merchant watches. Plain HTML naming its URL: the browser build polls
/// every `data-poll` region (`browser::enhance`), so the rows stay HTML and
/// the hosted checkout's WebAssembly does not grow with them.
#[component]
pub fn LiveRegion(poll: String, children: Children) -> impl IntoView {
    view! { <div class="live" aria-live="polite" data-poll=poll>{children()}</div> }
}
