using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Switchboard.Data;
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
        return group;
    }

    public static async Task<Results<Ok<Page<UserDto>>, ProblemHttpResult>> List(
        string? search, AppDbContext db, HttpRequest request, CancellationToken ct)
    {
        if (!PageRequest.TryParse(request, out var page, out var error))
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
}
