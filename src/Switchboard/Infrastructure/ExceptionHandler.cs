using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Switchboard.Infrastructure;

/// <summary>
/// Maps the few cross-cutting exceptions to problem details. Bad input must never surface as a 500:
/// malformed JSON, wrong types and oversized bodies all arrive here as <see cref="BadHttpRequestException"/>.
/// </summary>
public sealed partial class ProblemDetailsExceptionHandler(IProblemDetailsService problems, ILogger<ProblemDetailsExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        ProblemDetails details;
        switch (exception)
        {
            case BadHttpRequestException bad:
                details = FromBadRequest(bad);
                break;
            case Exception e when IsUnstorableText(e):
                // A last line of defence: inputs are checked for NUL at the edge (TextInput).
                details = new ProblemDetails { Status = 400, Title = "Bad Request", Detail = TextInput.NulMessage };
                break;
            case DbUpdateException db when IsUniqueViolation(db):
                details = new ProblemDetails { Status = 409, Title = "Conflict", Detail = "A record with these values already exists." };
                break;
            case OperationCanceledException when http.RequestAborted.IsCancellationRequested:
                // The client went away; nobody is listening for an answer.
                return true;
            default:
                return false;
        }

        if (http.Response.HasStarted)
        {
            logger.LogWarning("Could not write a problem response: the response has started.");
            return true;
        }
        http.Response.StatusCode = details.Status ?? 400;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = details, Exception = exception });
    }

    private static ProblemDetails FromBadRequest(BadHttpRequestException bad)
    {
        if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new ProblemDetails { Status = 413, Title = "Payload Too Large", Detail = "The request body is larger than the server accepts." };
        }

        var json = FindInner<JsonException>(bad);
        if (json is not null)
        {
            var field = FieldFromJsonPath(json.Path);
            var message = field is null ? "Malformed JSON." : "Invalid value or wrong type.";
            var details = new HttpValidationProblemDetails(new Dictionary<string, string[]>
            {
                [field ?? "non_field_errors"] = [message],
            })
            {
                Status = 400,
                Title = "Validation failed",
                Detail = field is null ? "The request body is not valid JSON." : $"{field}: {message}",
            };
            return details;
        }

        var status = bad.StatusCode is >= 400 and < 500 ? bad.StatusCode : 400;
        var parameter = ParameterName().Match(bad.Message);
        if (parameter.Success)
        {
            var name = parameter.Groups[1].Value;
            return new HttpValidationProblemDetails(new Dictionary<string, string[]> { [name] = ["A valid value is required."] })
            {
                Status = 400,
                Title = "Validation failed",
                Detail = $"{name}: A valid value is required.",
            };
        }
        return new ProblemDetails
        {
            Status = status,
            Title = status == 415 ? "Unsupported Media Type" : "Bad Request",
            Detail = status == 415 ? "Send the body as application/json." : "The request could not be read. Send a JSON object body.",
        };
    }

    /// <summary>Turns System.Text.Json's "$.assignee_id" or "$.labels[2]" into the field name.</summary>
    internal static string? FieldFromJsonPath(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return null;
        }
        var trimmed = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        var end = trimmed.IndexOfAny(['.', '[']);
        var name = end >= 0 ? trimmed[..end] : trimmed;
        return name.Length == 0 ? null : name.Trim('\'', '"', '[', ']');
    }

    private static T? FindInner<T>(Exception e) where T : Exception
    {
        for (var current = e; current is not null; current = current.InnerException)
        {
            if (current is T match)
            {
                return match;
            }
        }
        return null;
    }

    internal static bool IsUniqueViolation(DbUpdateException e) =>
        e.InnerException switch
        {
            Npgsql.PostgresException pg => pg.SqlState == Npgsql.PostgresErrorCodes.UniqueViolation,
            Microsoft.Data.Sqlite.SqliteException sqlite => sqlite.SqliteErrorCode == 19 && sqlite.SqliteExtendedErrorCode is 2067 or 1555,
            _ => false,
        };

    // 22021: a NUL or invalid byte in text; 22P05: a character the database encoding cannot hold.
    private static bool IsUnstorableText(Exception e) =>
        FindInner<Npgsql.PostgresException>(e) is { SqlState: "22021" or "22P05" };

    [GeneratedRegex("""parameter "(?:[^ ]+ )?([A-Za-z_][A-Za-z0-9_]*)" """)]
    private static partial Regex ParameterName();
}
