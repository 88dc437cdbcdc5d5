namespace Switchboard.Infrastructure;

/// <summary>
/// The one vocabulary of expected failures: socket <c>error</c> frames carry these codes, and
/// service results that REST turns into problem details use the same ones (<see cref="HttpStatus"/>).
/// </summary>
public static class ErrorCodes
{
    public const string InvalidJson = "invalid_json";
    public const string UnknownType = "unknown_type";
    public const string InvalidFrame = "invalid_frame";
    public const string Validation = "validation_error";
    public const string NotFound = "not_found";
    public const string Forbidden = "forbidden";
    public const string Conflict = "conflict";
    public const string RateLimited = "rate_limited";
    public const string NotAuthenticated = "not_authenticated";
    public const string PayloadTooLarge = "payload_too_large";
    public const string ServerError = "server_error";

    public static int HttpStatus(string code) => code switch
    {
        InvalidJson or UnknownType or InvalidFrame or Validation => StatusCodes.Status400BadRequest,
        NotAuthenticated => StatusCodes.Status401Unauthorized,
        Forbidden => StatusCodes.Status403Forbidden,
        NotFound => StatusCodes.Status404NotFound,
        Conflict => StatusCodes.Status409Conflict,
        PayloadTooLarge => StatusCodes.Status413PayloadTooLarge,
        RateLimited => StatusCodes.Status429TooManyRequests,
        _ => StatusCodes.Status500InternalServerError,
    };
}
