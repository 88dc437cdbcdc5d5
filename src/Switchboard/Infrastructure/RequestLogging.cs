using System.Diagnostics;
using System.Security.Claims;

namespace Switchboard.Infrastructure;

/// <summary>
/// One structured line per request. The query string is logged with secrets redacted, because
/// socket clients put their access token in <c>?token=</c>.
/// </summary>
public sealed class RequestLoggingMiddleware(RequestDelegate next, ILogger<RequestLoggingMiddleware> logger)
{
    private static readonly HashSet<string> SecretParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        "token", "access", "refresh", "access_token", "password", "sig", "signature",
    };

    public async Task InvokeAsync(HttpContext http)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(http);
        }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var userId = http.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? http.User.FindFirstValue("sub");
            logger.LogInformation("HTTP {Method} {Path}{Query} responded {StatusCode} in {ElapsedMs:0.0} ms (user {UserId})",
                http.Request.Method, http.Request.Path.Value, Redact(http.Request.QueryString), http.Response.StatusCode,
                elapsed, userId ?? "-");
        }
    }

    public static string Redact(QueryString query)
    {
        if (!query.HasValue)
        {
            return "";
        }
        var parts = query.Value!.TrimStart('?').Split('&');
        for (var i = 0; i < parts.Length; i++)
        {
            var eq = parts[i].IndexOf('=');
            var name = Uri.UnescapeDataString(eq >= 0 ? parts[i][..eq] : parts[i]);
            if (SecretParameters.Contains(name))
            {
                parts[i] = name + "=REDACTED";
            }
        }
        return "?" + string.Join('&', parts);
    }
}

/// <summary>Every API route answers with and without the trailing slash, without a redirect.</summary>
public static class TrailingSlash
{
    public static IApplicationBuilder UseTrailingSlashTolerance(this IApplicationBuilder app) =>
        app.Use((http, next) =>
        {
            var path = http.Request.Path.Value;
            if (path is { Length: > 1 } && path.EndsWith('/') &&
                (path.StartsWith("/api/", StringComparison.Ordinal) || path.StartsWith("/health/", StringComparison.Ordinal)))
            {
                http.Request.Path = new PathString(path.TrimEnd('/'));
            }
            return next(http);
        });
}
