using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Switchboard.Data;
using Switchboard.Features.Users;
using Switchboard.Infrastructure;
using Switchboard.Infrastructure.RateLimiting;

namespace Switchboard.Features.Auth;

public sealed record RegisterRequest(string? Username, string? Email, string? Password, string? FirstName, string? LastName);
public sealed record TokenRequest(string? Username, string? Password);
public sealed record RefreshRequest(string? Refresh);

public static partial class AuthApi
{
    private const string WrongCredentials = "No active account found with the given credentials.";

    public static RouteGroupBuilder MapAuth(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/auth").WithTags("Auth");

        group.MapPost("/register", Register).WithName("auth_register").AllowAnonymous()
            .WithSummary("Create an account")
            .ProducesValidationProblem().ProducesProblem(409).ProducesProblem(429);
        group.MapPost("/token", Token).WithName("auth_token").AllowAnonymous()
            .WithSummary("Exchange username and password for an access and a refresh token")
            .ProducesValidationProblem().ProducesProblem(401).ProducesProblem(429);
        group.MapPost("/token/refresh", Refresh).WithName("auth_token_refresh").AllowAnonymous()
            .WithSummary("Rotate a refresh token into a new token pair")
            .ProducesValidationProblem().ProducesProblem(401);
        group.MapGet("/me", Me).WithName("auth_me").RequireAuthorization()
            .WithSummary("The signed-in user").ProducesProblem(401);
        group.MapSessions();
        return group;
    }

    public static async Task<Results<Created<UserDto>, ValidationProblem, ProblemHttpResult>> Register(
        RegisterRequest body, AppDbContext db, Passwords passwords, AuthRateLimiter throttle, HttpContext http, TimeProvider clock,
        CancellationToken ct)
    {
        var retry = await throttle.HitAsync("register-ip:" + ClientAddress(http), "register-user:" + User.Normalize(body.Username ?? ""));
        if (retry is { } seconds)
        {
            return Problems.TooManyRequests(seconds, http);
        }

        var errors = new FieldErrors();
        var username = errors.Required("username", body.Username, 150, 3);
        if (username is not null && !UsernamePattern().IsMatch(username))
        {
            errors.Add("username", "Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.");
            username = null;
        }
        var email = errors.Required("email", body.Email, 254);
        if (email is not null && !EmailPattern().IsMatch(email))
        {
            errors.Add("email", "Enter a valid email address.");
        }
        if (body.Password is null || body.Password.Length == 0)
        {
            errors.Add("password", "This field is required.");
        }
        else
        {
            foreach (var problem in passwords.Check(body.Password, username))
            {
                errors.Add("password", problem);
            }
        }
        var firstName = body.FirstName is null ? "" : errors.Text("first_name", body.FirstName, 150);
        var lastName = body.LastName is null ? "" : errors.Text("last_name", body.LastName, 150);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var normalized = User.Normalize(username!);
        if (await db.Users.AnyAsync(u => u.NormalizedUsername == normalized, ct))
        {
            return Problems.Conflict("A user with that username already exists.");
        }
        var user = new User
        {
            Username = username!,
            NormalizedUsername = normalized,
            Email = email!,
            FirstName = firstName ?? "",
            LastName = lastName ?? "",
            PasswordHash = "",
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        user.PasswordHash = passwords.Hash(user, body.Password!);
        db.Users.Add(user);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (ProblemDetailsExceptionHandler.IsUniqueViolation(e))
        {
            return Problems.Conflict("A user with that username already exists.");
        }
        return TypedResults.Created($"/api/users/{user.Id}/", UserDto.From(user));
    }

    public static async Task<Results<Ok<TokenPair>, ValidationProblem, ProblemHttpResult>> Token(
        TokenRequest body, AppDbContext db, Passwords passwords, TokenService tokens, AuthRateLimiter throttle, HttpContext http,
        CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (string.IsNullOrEmpty(body.Username))
        {
            errors.Add("username", "This field is required.");
        }
        if (string.IsNullOrEmpty(body.Password))
        {
            errors.Add("password", "This field is required.");
        }
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var normalized = User.Normalize(body.Username!.Trim());
        var retry = await throttle.HitAsync("login-ip:" + ClientAddress(http), "login-user:" + normalized);
        if (retry is { } seconds)
        {
            return Problems.TooManyRequests(seconds, http);
        }

        var user = body.Username.Length > 150 ? null : await db.Users.SingleOrDefaultAsync(u => u.NormalizedUsername == normalized, ct);
        if (!passwords.Verify(user, body.Password!) || user is null || !user.IsActive)
        {
            return Problems.Unauthorized(WrongCredentials);
        }
        return TypedResults.Ok(await tokens.SignInAsync(user, http, ct));
    }

    public static async Task<Results<Ok<TokenPair>, ValidationProblem, ProblemHttpResult>> Refresh(
        RefreshRequest body, TokenService tokens, HttpContext http, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(body.Refresh))
        {
            return Problems.Validation("refresh", "This field is required.");
        }
        if (body.Refresh.Length > 200)
        {
            return Problems.Unauthorized("Token is invalid or expired.");
        }
        var pair = await tokens.RefreshAsync(body.Refresh, http, ct);
        return pair is null ? Problems.Unauthorized("Token is invalid or expired.") : TypedResults.Ok(pair);
    }

    public static async Task<Results<Ok<MeDto>, ProblemHttpResult>> Me(HttpContext http, AppDbContext db, CancellationToken ct)
    {
        var id = http.User.GetUserId();
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == id, ct);
        return user is null ? Problems.Unauthorized("User not found.") : TypedResults.Ok(MeDto.From(user));
    }

    public static bool IsEmail(string value) => EmailPattern().IsMatch(value);

    internal static string ClientAddress(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "local";

    [GeneratedRegex(@"^[\p{L}\p{Nd}@.+\-_]+$")]
    internal static partial Regex UsernamePattern();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();
}
