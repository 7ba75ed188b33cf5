//! The dashboard's charts as inline SVG, drawn here so the page needs no script, no library
//! and no network: stacked columns (what each council pays, by programme) and lines (balances
//! over the years). Every label is HTML-escaped.

use super::escape;
use crate::money::Money;
use std::fmt::Write;

/// Colours for series, repeated when there are more series than colours.
const PALETTE: [&str; 10] = [
    "#1c4a78", "#e07b39", "#3a9d5d", "#c8423b", "#7d5ba6", "#2a9fb0", "#b5a22c", "#d46aa6",
    "#6b7b8c", "#8c5a3c",
];

pub fn colour(index: usize) -> &'static str {
    PALETTE[index % PALETTE.len()]
}

/// One named series of values, one per category (`None` where it has no value), drawn in
/// the palette's `colour`-th colour (so a programme has the same colour in every chart).
pub struct Series {
    pub name: String,
    pub colour: usize,
    pub values: Vec<Option<Money>>,
}

const WIDTH: f64 = 900.0;
const HEIGHT: f64 = 380.0;
const LEFT: f64 = 90.0;
const RIGHT: f64 = 180.0;
const TOP: f64 = 20.0;
const BOTTOM: f64 = 40.0;

fn pounds_f(money: Money) -> f64 {
    money.pence() as f64 / 100.0
}

/// A round step for about five gridlines over `span` pounds: 1, 2 or 5 times a power of ten.
fn nice_step(span: f64) -> f64 {
    if span <= 0.0 {
        return 1.0;
    }
    let raw = span / 5.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    step.max(0.01)
}

/// `£250k`, `£1.5m`, `-£20k`: short axis labels.
fn short_pounds(value: f64) -> String {
    let sign = if value < 0.0 { "-" } else { "" };
    let v = value.abs();
    if v >= 1_000_000.0 {
        format!("{sign}£{}m", trim(v / 1_000_000.0))
    } else if v >= 1_000.0 {
        format!("{sign}£{}k", trim(v / 1_000.0))
    } else {
        format!("{sign}£{}", trim(v))
    }
}

fn trim(v: f64) -> String {
    let s = format!("{v:.1}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

struct Scale {
    low: f64,
    high: f64,
    step: f64,
}

impl Scale {
    fn new(low: f64, high: f64) -> Scale {
        let low = low.min(0.0);
        let high = high.max(0.0);
        let step = nice_step(high - low);
        Scale {
            low: (low / step).floor() * step,
            high: ((high / step).ceil() * step).max(step),
            step,
        }
    }

    fn y(&self, value: f64) -> f64 {
        let plot = HEIGHT - TOP - BOTTOM;
        TOP + plot * (self.high - value) / (self.high - self.low)
    }

    /// Gridlines and their labels.
    fn grid(&self, out: &mut String) {
        let count = ((self.high - self.low) / self.step).round() as i64;
        for i in 0..=count {
            let value = self.low + i as f64 * self.step;
            let value = if value.abs() < self.step / 2.0 {
                0.0
            } else {
                value
            };
            let y = self.y(value);
            let stroke = if value.abs() < self.step / 2.0 {
                "#888"
            } else {
                "#ddd"
            };
            let _ = write!(
                out,
                r#"<line x1="{LEFT}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="{stroke}"/><text x="{:.1}" y="{:.1}" text-anchor="end" class="axis">{}</text>"#,
                WIDTH - RIGHT,
                LEFT - 6.0,
                y + 4.0,
                escape(&short_pounds(value))
            );
        }
    }
}

fn open(out: &mut String, label: &str) {
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{}">"#,
        escape(label)
    );
}

fn legend(out: &mut String, series: &[Series]) {
    for (i, s) in series.iter().enumerate() {
        let y = TOP + 4.0 + i as f64 * 18.0;
        let x = WIDTH - RIGHT + 16.0;
        let _ = write!(
            out,
            r#"<rect x="{x}" y="{y}" width="11" height="11" fill="{}"/><text x="{}" y="{}" class="legend">{}</text>"#,
            colour(s.colour),
            x + 16.0,
            y + 10.0,
            escape(&s.name)
        );
    }
}

fn category_labels(out: &mut String, categories: &[String], x_of: impl Fn(usize) -> f64) {
    for (i, c) in categories.iter().enumerate() {
        let _ = write!(
            out,
            r#"<text x="{:.1}" y="{}" text-anchor="middle" class="axis">{}</text>"#,
            x_of(i),
            HEIGHT - BOTTOM + 18.0,
            escape(c)
        );
    }
}

/// Stacked columns: one column per category, one coloured block per series.
pub fn stacked_columns(label: &str, categories: &[String], series: &[Series]) -> String {
    let totals: Vec<(f64, f64)> = (0..categories.len())
        .map(|i| {
            series.iter().fold((0.0, 0.0), |(neg, pos), s| {
                let v = s.values[i].map_or(0.0, pounds_f);
                if v < 0.0 {
                    (neg + v, pos)
                } else {
                    (neg, pos + v)
                }
            })
        })
        .collect();
    let low = totals.iter().map(|t| t.0).fold(0.0, f64::min);
    let high = totals.iter().map(|t| t.1).fold(0.0, f64::max);
    let scale = Scale::new(low, high);
    let mut out = String::new();
    open(&mut out, label);
    scale.grid(&mut out);
    let band = (WIDTH - LEFT - RIGHT) / categories.len().max(1) as f64;
    let bar = (band * 0.6).min(70.0);
    let x_of = |i: usize| LEFT + band * (i as f64 + 0.5);
    for (i, category) in categories.iter().enumerate() {
        let (mut below, mut above) = (0.0, 0.0);
        for s in series {
            let Some(v) = s.values[i].map(pounds_f) else {
                continue;
            };
            let (from, to) = if v < 0.0 {
                below += v;
                (below - v, below)
            } else {
                above += v;
                (above - v, above)
            };
            let (y1, y2) = (scale.y(from.max(to)), scale.y(from.min(to)));
            let _ = write!(
                out,
                r#"<rect x="{:.1}" y="{y1:.1}" width="{bar:.1}" height="{:.1}" fill="{}"><title>{}: {}</title></rect>"#,
                x_of(i) - bar / 2.0,
                (y2 - y1).max(0.0),
                colour(s.colour),
                escape(&format!("{category} {}", s.name)),
                escape(&crate::report::wording::pounds(
                    s.values[i].unwrap_or_default()
                ))
            );
        }
    }
    category_labels(&mut out, categories, x_of);
    legend(&mut out, series);
    out.push_str("</svg>");
    out
}

/// Lines with a dot per value: one line per series across the categories.
pub fn lines(label: &str, categories: &[String], series: &[Series]) -> String {
    let values = series
        .iter()
        .flat_map(|s| s.values.iter().flatten().map(|m| pounds_f(*m)));
    let (low, high) = values.fold((0.0f64, 0.0f64), |(l, h), v| (l.min(v), h.max(v)));
    let scale = Scale::new(low, high);
    let mut out = String::new();
    open(&mut out, label);
    scale.grid(&mut out);
    let band = (WIDTH - LEFT - RIGHT) / categories.len().max(1) as f64;
    let x_of = |i: usize| LEFT + band * (i as f64 + 0.5);
    for s in series {
        let points: Vec<String> = s
            .values
            .iter()
            .enumerate()
            .filter_map(|(i, v)| v.map(|m| format!("{:.1},{:.1}", x_of(i), scale.y(pounds_f(m)))))
            .collect();
        let _ = write!(
            out,
            r#"<polyline fill="none" stroke="{}" stroke-width="2" points="{}"/>"#,
            colour(s.colour),
            points.join(" ")
        );
        for (i, v) in s.values.iter().enumerate() {
            if let Some(m) = v {
                let _ = write!(
                    out,
                    r#"<circle cx="{:.1}" cy="{:.1}" r="3.5" fill="{}"><title>{}: {}</title></circle>"#,
                    x_of(i),
                    scale.y(pounds_f(*m)),
                    colour(s.colour),
                    escape(&format!("{} {}", s.name, categories[i])),
                    escape(&crate::report::wording::pounds(*m))
                );
            }
        }
    }
    category_labels(&mut out, categories, x_of);
    legend(&mut out, series);
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_steps_are_round() {
        let cases = [
            (1_000_000.0, 200_000.0),
            (95_000.0, 20_000.0),
            (7.0, 2.0),
            (0.0, 1.0),
        ];
        for (span, step) in cases {
            assert_eq!(nice_step(span), step, "{span}");
        }
        assert_eq!(short_pounds(250_000.0), "£250k");
        assert_eq!(short_pounds(-1_500_000.0), "-£1.5m");
    }

    #[test]
    fn labels_are_escaped() {
        let svg = stacked_columns(
            "<b>",
            &["<script>".to_string()],
            &[Series {
                name: "a&b".into(),
                colour: 0,
                values: vec![Some(Money::from_pence(100))],
            }],
        );
        assert!(!svg.contains("<script>") && !svg.contains("<b>") && svg.contains("a&amp;b"));
    }
}
