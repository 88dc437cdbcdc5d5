using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Switchboard.Data;
using Switchboard.Features.Auth;
using Switchboard.Infrastructure;

namespace Switchboard.Features.Users;

public static class UsersApi
{
    public static RouteGroupBuilder MapUsers(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/users").WithTags("Users").RequireAuthorization();
        group.MapGet("", List).WithName("users_list")
            .WithSummary("Find users by username, name or email (to add them to projects and rooms)")
            .ProducesProblem(401).ProducesProblem(404);
        group.MapPost("/{id:int}/deactivate", Deactivate).WithName("users_deactivate")
            .WithSummary("Deactivate a user (server admins only): their sessions end and they can no longer sign in")
            .ProducesValidationProblem().ProducesProblem(401).ProducesProblem(403).ProducesProblem(404);
        group.MapPresence();
        return group;
    }

    public static async Task<Results<Ok<Page<UserDto>>, ProblemHttpResult>> List(
        [AsParameters] PageQuery paging,
        [Description("Part of a username, first name, last name or e-mail address (case-insensitive).")] string? search,
        AppDbContext db, HttpRequest request, CancellationToken ct)
    {
        if (!PageRequest.TryParse(paging, out var page, out var error))
        {
            return Problems.NotFound(error!);
        }
        var query = db.Users.AsNoTracking().Where(u => u.IsActive);
        var term = search?.Trim();
        if (!string.IsNullOrEmpty(term))
        {
            if (term.Length > 150)
            {
                term = term[..150];
            }
            var upper = term.ToUpperInvariant();
            var lower = term.ToLowerInvariant();
            query = query.Where(u => u.NormalizedUsername.Contains(upper)
                || u.FirstName.ToLower().Contains(lower)
                || u.LastName.ToLower().Contains(lower)
                || u.Email.ToLower().Contains(lower));
        }
        // Anyone can be found here (to be added to a project), but an avatar is only for the people
        // who share a project with its owner: for everyone else avatar_url is null.
        var me = request.HttpContext.User.GetUserId();
        var rows = query.OrderBy(u => u.NormalizedUsername).Select(u => new
        {
            User = u,
            Shares = u.Id == me || db.ProjectMembers.Any(a => a.UserId == me && db.ProjectMembers.Any(b => b.ProjectId == a.ProjectId && b.UserId == u.Id)),
        });
        var result = await rows.ToPageAsync(request, page,
            list => list.Select(r => r.Shares ? UserDto.From(r.User) : UserDto.From(r.User) with { AvatarUrl = null }).ToList(), ct);
        return result is null ? Problems.NotFound("Invalid page.") : TypedResults.Ok(result);
    }

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Deactivate(
        int id, HttpContext http, AppDbContext db, SessionService sessions, CancellationToken ct)
    {
        var callerId = http.User.GetUserId();
        if (!await ServerAdmins.IsAdminAsync(db, callerId, ct))
        {
            return Problems.Forbidden("Only a server admin may deactivate users.");
        }
        if (id == callerId)
        {
            return Problems.Validation("id", "You cannot deactivate yourself.");
        }
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == id, ct);
        if (user is null)
        {
            return Problems.NotFound("User not found.");
        }
        if (user.IsActive)
        {
            user.IsActive = false;
            await db.SaveChangesAsync(ct);
        }
        // Also when already inactive: a repeat finishes what an interrupted first call began.
        await sessions.EndAllAsync(id, except: null, ct);
        return TypedResults.NoContent();
    }
}

/// <summary>
/// Who administers the server: the first user who registered (the one who set it up). There is no
/// other way to become one yet; a role column can replace this when there is.
/// </summary>
public static class ServerAdmins
{
    public static async Task<bool> IsAdminAsync(AppDbContext db, int userId, CancellationToken ct) =>
        !await db.Users.AnyAsync(u => u.Id < userId, ct) && await db.Users.AnyAsync(u => u.Id == userId && u.IsActive, ct);
}
