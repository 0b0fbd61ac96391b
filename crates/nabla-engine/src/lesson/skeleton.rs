//! The commented skeleton `nabla new lesson NAME` writes: one of everything,
//! correct as written, so it lints clean and can be edited into a lesson.

/// The skeleton for a lesson with id `name`.
pub fn lesson(name: &str) -> Result<String, String> {
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(format!(
            "'{name}' cannot be a lesson id: use a-z, 0-9 and '-'"
        ));
    }
    Ok(TEMPLATE.replace("LESSON_ID", name))
}

const TEMPLATE: &str = r#"# A nabla lesson. Check it with `nabla lint FILE`; see docs/authoring.md.
format = 1                      # the file format version
id = "LESSON_ID"                # unique in the course: a-z, 0-9, '-'
title = "A new lesson"
order = 10                      # lessons are shown in this order
summary = "One sentence for the home screen."

# The explanation, in order. Markdown with $inline$ and $$display$$ math.
# Literal strings ('...' and '''...''') keep backslashes as written.
[[section]]
title = "The idea"
body = '''
For $f(\mathbf{x}) = \mathbf{a}^T\mathbf{x}$ each $x_i$ appears once, times $a_i$:

$$\frac{\partial f}{\partial \mathbf{x}} = \mathbf{a}$$
'''

# An identity is shown in the lesson and proved by `nabla lint`.
[[identity]]
name = "A linear function"
statement = '\frac{\partial}{\partial \mathbf{x}}(\mathbf{a}^T \mathbf{x}) = \mathbf{a}'
given = { a = "n", x = "n" }    # declarations: "n" a vector, "m x n" a matrix
f = "a' x"                      # in nabla's expression language
wrt = "x"
result = "a"                    # lint checks this is the derivative of f
derivation = [
  '$\mathbf{a}^T\mathbf{x} = \sum_i a_i x_i$',
  'Differentiating by $x_k$ leaves $a_k$, so the gradient is $\mathbf{a}$.',
]

# Exercises: kinds derive, compute, shape, choice and backprop.
[[exercise]]
id = "linear"                   # the full id is LESSON_ID/linear
kind = "derive"
title = "Gradient of a linear function"
prompt = 'Find $\nabla_{\mathbf{x}} f$ for $f(\mathbf{x}) = \mathbf{b}^T\mathbf{x}$.'
given = { b = "n", x = "n" }
f = "b' x"
wrt = "x"
answer = "b"                    # the reference answer, checked by lint
hints = ['Write $f$ as a sum over $i$.', 'The gradient has the shape of $\mathbf{x}$.']
solution = 'Since $f = \sum_i b_i x_i$, $\partial f / \partial x_k = b_k$: the gradient is $\mathbf{b}$.'

[[exercise.mistake]]            # a wrong answer students give, and what to tell them
answer = "b'"
feedback = "That is a row; the gradient of a scalar has the shape of x, a column."
"#;

#[cfg(test)]
mod tests {
    #[test]
    fn the_skeleton_lints_clean() {
        let text = super::lesson("my-lesson").unwrap();
        let file = crate::lesson::SourceFile {
            name: "my-lesson.toml".into(),
            text,
        };
        let errors = crate::lesson::lint::lint_files(vec![file]);
        assert!(errors.is_empty(), "{errors:?}");
    }

    #[test]
    fn bad_names_are_refused() {
        assert!(super::lesson("My Lesson").is_err());
    }
}
