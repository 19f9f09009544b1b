//! A canvas backend that measures text with the canvas itself. plotters' browser font code
//! measures each label by adding a styled span to the page and reading its size, which forces a
//! layout of the whole page per label (~150 per update of the explorer's charts); the canvas's
//! `measureText` gives the same width without touching the page. Text is drawn here too, setting
//! the canvas's font, alignment and colour only when they change: plotters' backend set all four
//! for every label, and parsing the font string was a fifth of drawing a chart. Everything else
//! is passed straight to `plotters_canvas::CanvasBackend`.

use plotters::prelude::*;
use std::cell::RefCell;

use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind, FontTransform,
};
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;

type Error = DrawingErrorKind<<CanvasBackend as DrawingBackend>::ErrorType>;

pub struct FastCanvas {
    inner: CanvasBackend,
    context: web_sys::CanvasRenderingContext2d,
    /// What the canvas's text state was last set to here.
    text: RefCell<TextState>,
}

/// The canvas's text settings as last set, so that setting them again can be skipped. Only text
/// sets the font, alignment and baseline; the fill colour is set by shapes too, so any shape
/// forgets it.
#[derive(Default)]
struct TextState {
    font: String,
    align: &'static str,
    baseline: &'static str,
    fill: Option<((u8, u8, u8), f64)>,
}

impl FastCanvas {
    /// Sets the canvas's font to `style`'s unless it is that already.
    fn use_font<S: BackendTextStyle>(&self, style: &S) {
        let font = format!(
            "{} {}px {}",
            style.style().as_str(),
            style.size(),
            style.family().as_str()
        );
        let mut text = self.text.borrow_mut();
        if text.font != font {
            self.context.set_font(&font);
            text.font = font;
        }
    }

    /// A shape set the fill colour.
    fn fill_changed(&self) {
        self.text.borrow_mut().fill = None;
    }
}

/// Remembers `to` in `setting`; true when that changed it.
fn changed(setting: &mut &'static str, to: &'static str) -> bool {
    std::mem::replace(setting, to) != to
}

impl FastCanvas {
    pub fn new(canvas: &web_sys::HtmlCanvasElement) -> Option<FastCanvas> {
        let context = canvas.get_context("2d").ok()??.dyn_into().ok()?;
        Some(FastCanvas {
            inner: CanvasBackend::with_canvas_object(canvas.clone())?,
            context,
            text: RefCell::default(),
        })
    }
}

impl DrawingBackend for FastCanvas {
    type ErrorType = <CanvasBackend as DrawingBackend>::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }
    fn ensure_prepared(&mut self) -> Result<(), Error> {
        self.inner.ensure_prepared()
    }
    fn present(&mut self) -> Result<(), Error> {
        self.inner.present()
    }
    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Result<(), Error> {
        self.fill_changed();
        self.inner.draw_pixel(point, color)
    }
    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), Error> {
        self.inner.draw_line(from, to, style)
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), Error> {
        self.fill_changed();
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), Error> {
        self.inner.draw_path(path, style)
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), Error> {
        self.fill_changed();
        self.inner.fill_polygon(vert, style)
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), Error> {
        self.fill_changed();
        self.inner.draw_circle(center, radius, style, fill)
    }
    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), Error> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let degrees: f64 = match style.transform() {
            FontTransform::None => 0.0,
            FontTransform::Rotate90 => 90.0,
            FontTransform::Rotate180 => 180.0,
            FontTransform::Rotate270 => 270.0,
        };
        // Set before any save(), so restore() leaves them as remembered.
        self.use_font(style);
        {
            let mut state = self.text.borrow_mut();
            let baseline = match style.anchor().v_pos {
                VPos::Top => "top",
                VPos::Center => "middle",
                VPos::Bottom => "bottom",
            };
            if changed(&mut state.baseline, baseline) {
                self.context.set_text_baseline(baseline);
            }
            let align = match style.anchor().h_pos {
                HPos::Left => "start",
                HPos::Right => "end",
                HPos::Center => "center",
            };
            if changed(&mut state.align, align) {
                self.context.set_text_align(align);
            }
            let fill = Some((color.rgb, color.alpha));
            if state.fill != fill {
                let (r, g, b) = color.rgb;
                self.context
                    .set_fill_style_str(&format!("rgba({r},{g},{b},{})", color.alpha));
                state.fill = fill;
            }
        }
        let (x, y) = (f64::from(pos.0), f64::from(pos.1));
        let drawn = if degrees == 0.0 {
            self.context.fill_text(text, x, y)
        } else {
            self.context.save();
            let drawn = self
                .context
                .translate(x, y)
                .and_then(|_| self.context.rotate(degrees.to_radians()))
                .and_then(|_| self.context.fill_text(text, 0.0, 0.0));
            self.context.restore();
            drawn
        };
        match drawn {
            Ok(()) => Ok(()),
            // The canvas refused: plotters' own backend tries again and words the error.
            Err(_) => {
                self.text.replace(TextState::default());
                self.inner.draw_text(text, style, pos)
            }
        }
    }
    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), Error> {
        self.use_font(style);
        let width = self
            .context
            .measure_text(text)
            .map(|m| m.width())
            .unwrap_or(0.0);
        // The span plotters measured was one line box high: about 1.15 times the font size.
        Ok((width.ceil() as u32, (style.size() * 1.15).ceil() as u32))
    }
}
