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
        group.MapPresence();
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
        var result = await query.OrderBy(u => u.NormalizedUsername).ToPageAsync(request, page, list => list.Select(UserDto.From).ToList(), ct);
        return result is null ? Problems.NotFound("Invalid page.") : TypedResults.Ok(result);
    }
}
