//! The macro that defines [`Problem`](super::Problem) and its list of codes from one text.
//!
//! Each variant is written `Name = code { fields }`: the macro gives it the miette code
//! `stackwire::code` and puts the same code into `Problem::CODES`, in the order of the
//! catalogue. A variant cannot be added without a code, nor a code listed without its variant.

macro_rules! define_problems {
    (
        $(#[$($enum_attr:tt)*])*
        $vis:vis enum $name:ident {
            $(
                $(#[$($attr:tt)*])*
                $variant:ident = $code:ident { $($field:tt)* }
            ),* $(,)?
        }
    ) => {
        $(#[$($enum_attr)*])*
        $vis enum $name {
            $(
                $(#[$($attr)*])*
                #[diagnostic(code(stackwire::$code))]
                $variant { $($field)* },
            )*
        }

        impl $name {
            /// The stable code of every problem (`stackwire::<name>`), in catalogue order.
            pub const CODES: &'static [&'static str] =
                &[$(concat!("stackwire::", stringify!($code))),*];
        }
    };
}

pub(crate) use define_problems;
