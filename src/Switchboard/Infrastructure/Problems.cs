using Microsoft.AspNetCore.Http.HttpResults;

namespace Switchboard.Infrastructure;

/// <summary>The expected error outcomes of handlers, as RFC 9457 problem details.</summary>
public static class Problems
{
    public static ProblemHttpResult NotFound(string detail = "Not found.") =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not Found");

    public static ProblemHttpResult Forbidden(string detail = "You do not have permission to perform this action.") =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict");

    public static ProblemHttpResult Unauthorized(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");

    public static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Bad Request");

    public static ProblemHttpResult TooManyRequests(int retryAfterSeconds, HttpContext http)
    {
        http.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem($"Request was throttled. Expected available in {retryAfterSeconds} seconds.",
            statusCode: StatusCodes.Status429TooManyRequests, title: "Too Many Requests");
    }

    public static ValidationProblem Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });

    public static ValidationProblem Validation(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors,
            detail: string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")),
            title: "Validation failed");
}

/// <summary>Collects field errors under their snake_case JSON names.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = [];

    public bool Any => _errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }
        list.Add(message);
    }

    /// <summary>Checks a required string; returns the trimmed value or null after recording the error.</summary>
    public string? Required(string field, string? value, int maxLength, int minLength = 1)
    {
        if (value is null)
        {
            Add(field, "This field is required.");
            return null;
        }
        return Text(field, value, maxLength, minLength, allowBlank: false);
    }

    public string? Text(string field, string value, int maxLength, int minLength = 0, bool allowBlank = true)
    {
        if (TextInput.HasNul(value))
        {
            Add(field, TextInput.NulMessage);
            return null;
        }
        var trimmed = value.Trim();
        if (!allowBlank && trimmed.Length == 0)
        {
            Add(field, "This field may not be blank.");
            return null;
        }
        if (trimmed.Length < minLength)
        {
            Add(field, $"Ensure this field has at least {minLength} characters.");
            return null;
        }
        if (trimmed.Length > maxLength)
        {
            Add(field, $"Ensure this field has no more than {maxLength} characters.");
            return null;
        }
        return trimmed;
    }

    public ValidationProblem ToProblem() =>
        Problems.Validation(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
}

/// <summary>
/// Every problem answer carries a detail, also those the framework writes itself (401 from the
/// bearer challenge, 405, 415, empty-bodied status codes).
/// </summary>
public static class ProblemDefaults
{
    public static void Fill(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (!string.IsNullOrEmpty(problem.Detail))
        {
            return;
        }
        problem.Detail = problem.Status switch
        {
            401 => "Authentication credentials were not provided or are invalid or expired.",
            403 => "You do not have permission to perform this action.",
            404 => "Not found.",
            405 => "Method not allowed on this endpoint.",
            413 => "The request body is too large.",
            415 => "Unsupported media type: send application/json.",
            429 => "Request was throttled.",
            _ => problem.Title ?? "The request failed.",
        };
    }
}
