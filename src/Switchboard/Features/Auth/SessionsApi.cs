using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Switchboard.Data;
using Switchboard.Infrastructure;
using Switchboard.Infrastructure.RateLimiting;

namespace Switchboard.Features.Auth;

public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

public sealed record SessionDto(long Id, DateTime CreatedAt, DateTime LastUsedAt, string UserAgent, string Ip, bool Current);

/// <summary>Signing out (one session, all of them), changing the password, and the list of one's sessions.</summary>
public static class SessionsApi
{
    public static void MapSessions(this RouteGroupBuilder auth)
    {
        auth.MapPost("/logout", Logout).WithName("auth_logout").RequireAuthorization()
            .WithSummary("End the caller's session: its access and refresh tokens stop working on every instance")
            .ProducesProblem(401);
        auth.MapPost("/logout_all", LogoutAll).WithName("auth_logout_all").RequireAuthorization()
            .WithSummary("End every session of the caller, this one included")
            .ProducesProblem(401);
        auth.MapPost("/password", ChangePassword).WithName("auth_password").RequireAuthorization()
            .WithSummary("Change the password; every other session ends")
            .ProducesValidationProblem().ProducesProblem(401).ProducesProblem(429);
        auth.MapGet("/sessions", List).WithName("auth_sessions_list").RequireAuthorization()
            .WithSummary("The caller's live sessions, most recently used first")
            .ProducesProblem(401).ProducesProblem(404);
        auth.MapDelete("/sessions/{id:long}", End).WithName("auth_sessions_end").RequireAuthorization()
            .WithSummary("End one of the caller's sessions")
            .ProducesProblem(401).ProducesProblem(404);
    }

    public static async Task<NoContent> Logout(HttpContext http, SessionService sessions, CancellationToken ct)
    {
        if (http.User.GetSessionId() is { } sessionId)
        {
            await sessions.EndAsync(sessionId, ct);
        }
        return TypedResults.NoContent();
    }

    public static async Task<NoContent> LogoutAll(HttpContext http, SessionService sessions, CancellationToken ct)
    {
        await sessions.EndAllAsync(http.User.GetUserId(), except: null, ct);
        return TypedResults.NoContent();
    }

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ChangePassword(
        ChangePasswordRequest body, HttpContext http, AppDbContext db, Passwords passwords, SessionService sessions,
        AuthRateLimiter throttle, CancellationToken ct)
    {
        var userId = http.User.GetUserId();
        var errors = new FieldErrors();
        if (string.IsNullOrEmpty(body.CurrentPassword))
        {
            errors.Add("current_password", "This field is required.");
        }
        if (string.IsNullOrEmpty(body.NewPassword))
        {
            errors.Add("new_password", "This field is required.");
        }
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        // A stolen access token must not become a way to guess the password.
        if (await throttle.HitAsync("password-user:" + SessionIds.Format(userId)) is { } seconds)
        {
            return Problems.TooManyRequests(seconds, http);
        }

        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null)
        {
            return Problems.Unauthorized("User not found.");
        }
        if (body.CurrentPassword!.Length > Passwords.MaxLength || !passwords.Verify(user, body.CurrentPassword))
        {
            return Problems.Validation("current_password", "Your current password was entered incorrectly.");
        }
        foreach (var problem in passwords.Check(body.NewPassword!, user.Username))
        {
            errors.Add("new_password", problem);
        }
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        user.PasswordHash = passwords.Hash(user, body.NewPassword!);
        await db.SaveChangesAsync(ct);
        await sessions.EndAllAsync(userId, except: http.User.GetSessionId(), ct);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<Page<SessionDto>>, ProblemHttpResult>> List(
        [AsParameters] PageQuery paging, HttpContext http, AppDbContext db, IOptions<SwitchboardOptions> options, TimeProvider clock, CancellationToken ct)
    {
        if (!PageRequest.TryParse(paging, out var page, out var error))
        {
            return Problems.NotFound(error!);
        }
        var userId = http.User.GetUserId();
        var current = http.User.GetSessionId();
        // A session unused for longer than a refresh token lives cannot be continued: it is over.
        var alive = clock.GetUtcNow().UtcDateTime.AddDays(-options.Value.Jwt.RefreshTokenDays);
        var result = await db.Sessions.AsNoTracking()
            .Where(s => s.UserId == userId && s.EndedAt == null && s.LastUsedAt > alive)
            .OrderByDescending(s => s.LastUsedAt).ThenByDescending(s => s.Id)
            .ToPageAsync(http.Request, page,
                list => list.Select(s => new SessionDto(s.Id, s.CreatedAt, s.LastUsedAt, s.UserAgent, s.Ip, s.Id == current)).ToList(), ct);
        return result is null ? Problems.NotFound("Invalid page.") : TypedResults.Ok(result);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> End(long id, HttpContext http, AppDbContext db, SessionService sessions,
        CancellationToken ct)
    {
        var userId = http.User.GetUserId();
        // Someone else's session, an unknown id and an ended one look alike.
        var ended = await sessions.EndAsync(db.Sessions.Where(s => s.Id == id && s.UserId == userId), ct);
        return ended == 0 ? Problems.NotFound("Session not found.") : TypedResults.NoContent();
    }
}
