//! Respond: the respondent journey through the MP162 consultation questions.

use leptos::prelude::*;

#[component]
pub fn RespondPage() -> impl IntoView {
    view! {
        <h1 class="heading-l">"Respond to the MP162 consultation"</h1>
        <p class="lead">
            "You will answer the Working Group's questions one section at a time: about you, your portfolio and "
            "current practice, the technical solution, non-functional requirements and impact on existing processes."
        </p>
        <div class="inset">
            <p>"The question pages are being built. When they are ready your answers will save in this browser as you go, "
            "and you will be able to download a draft to share with colleagues and export your response."</p>
        </div>
        <h2 class="heading-m">"The open questions"</h2>
        <ul class="list-bullet">
            <li>"Is SRV 4.1.1 (read instantaneous import registers) needed for SMETS2 devices?"</li>
            <li>"Should SR 4.2 (read instantaneous export registers) be DCC-schedulable?"</li>
            <li>"What constraints would you have if DCC changed or smoothed scheduling windows within the 24-hour TRT?"</li>
            <li>"Would you set an optional \"MHHS purpose\" attribute on your requests?"</li>
            <li>"Would an S1SP cache help you, and is your data reused outside DCC?"</li>
        </ul>
    }
}
