//! Message templates: text with `{{placeholder}}` marks, one template per notice and language,
//! editable by the administrator. A template is checked when it is saved (every mark must be one
//! its notice knows), so sending never meets a mark it cannot fill.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::Notice;
use crate::ErrorCode;

/// The three texts of a notice in one language: the e-mail's subject (also the title in the
/// cabinet), its body (also the text in the cabinet), and the SMS.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Template {
    pub subject: String,
    pub body: String,
    pub sms: String,
}

coded! {
    /// The fields of a template, as named in forms and errors.
    TemplateField {
        Subject => "subject",
        Body => "body",
        Sms => "sms",
    }
}

impl TemplateField {
    /// The longest text a field may hold (an SMS template: five Cyrillic segments).
    pub fn max_chars(self) -> usize {
        match self {
            Self::Subject => 200,
            Self::Body => 5000,
            Self::Sms => 335,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TemplateError {
    #[error("the text is empty")]
    Empty,
    #[error("the text is longer than {0} characters")]
    TooLong(usize),
    #[error("unknown placeholder {{{{{0}}}}}")]
    UnknownPlaceholder(String),
    #[error("a placeholder is not closed with }}}}")]
    Unclosed,
    #[error("a line break in a subject")]
    LineBreak,
}

impl ErrorCode for TemplateError {
    fn code(&self) -> &'static str {
        match self {
            Self::Empty => "template.empty",
            Self::TooLong(_) => "template.too_long",
            Self::UnknownPlaceholder(_) => "template.unknown_placeholder",
            Self::Unclosed => "template.unclosed",
            Self::LineBreak => "template.line_break",
        }
    }
}

/// A piece of a template: literal text or the name inside a mark.
enum Piece<'a> {
    Text(&'a str),
    Mark(&'a str),
}

fn pieces(text: &str) -> Result<Vec<Piece<'_>>, TemplateError> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push(Piece::Text(&rest[..start]));
        let after = &rest[start + 2..];
        let end = after.find("}}").ok_or(TemplateError::Unclosed)?;
        out.push(Piece::Mark(after[..end].trim()));
        rest = &after[end + 2..];
    }
    out.push(Piece::Text(rest));
    Ok(out)
}

/// Checks one field of a notice's template; the first problem found.
pub fn check_field(notice: Notice, field: TemplateField, text: &str) -> Result<(), TemplateError> {
    if text.trim().is_empty() {
        return Err(TemplateError::Empty);
    }
    if text.chars().count() > field.max_chars() {
        return Err(TemplateError::TooLong(field.max_chars()));
    }
    if field == TemplateField::Subject && text.contains(['\n', '\r']) {
        return Err(TemplateError::LineBreak);
    }
    for piece in pieces(text)? {
        if let Piece::Mark(name) = piece
            && !notice.placeholders().iter().any(|(known, _)| *known == name)
        {
            return Err(TemplateError::UnknownPlaceholder(name.to_string()));
        }
    }
    Ok(())
}

impl Template {
    /// Every field's problem, for showing each next to its field.
    pub fn check(&self, notice: Notice) -> Vec<(TemplateField, TemplateError)> {
        TemplateField::ALL
            .iter()
            .filter_map(|&field| check_field(notice, field, self.field(field)).err().map(|e| (field, e)))
            .collect()
    }

    pub fn field(&self, field: TemplateField) -> &str {
        match field {
            TemplateField::Subject => &self.subject,
            TemplateField::Body => &self.body,
            TemplateField::Sms => &self.sms,
        }
    }
}

/// Fills the marks with `value(name)`; a mark with no value (only in a template that was never
/// checked) is left as written, so nothing is silently dropped.
pub fn render(text: &str, value: impl Fn(&str) -> Option<String>) -> String {
    let Ok(pieces) = pieces(text) else { return text.to_string() };
    let mut out = String::with_capacity(text.len() + 64);
    for piece in pieces {
        match piece {
            Piece::Text(t) => out.push_str(t),
            Piece::Mark(name) => match value(name) {
                Some(v) => out.push_str(&v),
                None => {
                    out.push_str("{{");
                    out.push_str(name);
                    out.push_str("}}");
                }
            },
        }
    }
    out
}

/// A template filled with the notice's example values (the administrator's preview).
pub fn preview(notice: Notice, text: &str) -> String {
    render(text, |name| notice.placeholders().iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::both;

    both! {
        fn marks_are_filled_and_checked() {
            let text = "Заказ №{{order}} — {{ status }}";
            assert_eq!(check_field(Notice::OrderStatus, TemplateField::Body, text), Ok(()));
            let filled = render(text, |n| match n {
                "order" => Some("7".into()),
                "status" => Some("Отгружен".into()),
                _ => None,
            });
            assert_eq!(filled, "Заказ №7 — Отгружен");
            assert_eq!(preview(Notice::OrderStatus, "{{status}}"), "Отгружен");
            assert_eq!(render("{{x}} и {", |_| None), "{{x}} и {");
        }
    }

    both! {
        fn bad_templates_are_refused_with_the_reason() {
            let n = Notice::OrderStatus;
            assert_eq!(
                check_field(n, TemplateField::Body, "{{amount}}"),
                Err(TemplateError::UnknownPlaceholder("amount".into()))
            );
            assert_eq!(check_field(n, TemplateField::Body, "Заказ {{order"), Err(TemplateError::Unclosed));
            assert_eq!(check_field(n, TemplateField::Sms, "  "), Err(TemplateError::Empty));
            assert_eq!(check_field(n, TemplateField::Subject, "a\nb"), Err(TemplateError::LineBreak));
            let long = "я".repeat(336);
            assert_eq!(check_field(n, TemplateField::Sms, &long), Err(TemplateError::TooLong(335)));
            let t = Template { subject: "{{order}}".into(), body: "{{nope}}".into(), sms: "".into() };
            let fields: Vec<_> = t.check(n).into_iter().map(|(f, e)| (f, e.code())).collect();
            assert_eq!(
                fields,
                [(TemplateField::Body, "template.unknown_placeholder"), (TemplateField::Sms, "template.empty")]
            );
        }
    }
}
