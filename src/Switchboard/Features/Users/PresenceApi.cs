using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Switchboard.Data;
using Switchboard.Infrastructure;
using Switchboard.Realtime.Presence;

namespace Switchboard.Features.Users;

public sealed record PresenceDto(int UserId, string Status);

public sealed record PresenceList(IReadOnlyList<PresenceDto> Results);

public sealed record PresenceQuery(string? Ids);

/// <summary>People see the presence of those they share a project with.</summary>
public sealed class PresenceAudience(AppDbContext db) : IPresenceAudience
{
    public async Task<IReadOnlyList<int>> AudienceOfAsync(int userId, CancellationToken ct)
    {
        var projects = db.ProjectMembers.Where(m => m.UserId == userId).Select(m => m.ProjectId);
        var audience = await db.ProjectMembers.Where(m => projects.Contains(m.ProjectId)).Select(m => m.UserId).Distinct().ToListAsync(ct);
        if (!audience.Contains(userId))
        {
            audience.Add(userId);
        }
        return audience;
    }

    public async Task<IReadOnlyList<int>> VisibleToAsync(int viewerId, IReadOnlyCollection<int> userIds, CancellationToken ct)
    {
        var ids = userIds.ToList();
        var projects = db.ProjectMembers.Where(m => m.UserId == viewerId).Select(m => m.ProjectId);
        var visible = await db.ProjectMembers.Where(m => ids.Contains(m.UserId) && projects.Contains(m.ProjectId))
            .Select(m => m.UserId).Distinct().ToListAsync(ct);
        if (ids.Contains(viewerId) && !visible.Contains(viewerId))
        {
            visible.Add(viewerId);
        }
        return visible;
    }
}

public static class PresenceApi
{
    public const int MaxIds = 200;

    public static void MapPresence(this RouteGroupBuilder users) =>
        users.MapGet("/presence", List).WithName("users_presence")
            .WithSummary("Online, away or offline, for people who share a project with the caller")
            .ProducesValidationProblem().ProducesProblem(401);

    public static async Task<Results<Ok<PresenceList>, ValidationProblem>> List([AsParameters] PresenceQuery query, HttpContext http,
        IPresenceAudience audience, PresenceTracker presence, CancellationToken ct)
    {
        if (!TryParseIds(query.Ids, out var ids, out var error))
        {
            return Problems.Validation("ids", error!);
        }
        var visible = await audience.VisibleToAsync(http.User.GetUserId(), ids, ct);
        var status = await presence.StatusAsync(visible);
        // In the order asked for; people the caller shares no project with are left out.
        var results = ids.Where(status.ContainsKey).Select(id => new PresenceDto(id, status[id])).ToList();
        return TypedResults.Ok(new PresenceList(results));
    }

    private static bool TryParseIds(string? text, out List<int> ids, out string? error)
    {
        ids = [];
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "This field is required: comma-separated user ids, e.g. ?ids=1,2,3.";
            return false;
        }
        foreach (var part in text.Split(','))
        {
            if (!int.TryParse(part.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0)
            {
                var shown = part.Length > 20 ? part[..20] + "…" : part;
                error = $"\"{shown}\" is not a valid user id.";
                return false;
            }
            if (!ids.Contains(id))
            {
                ids.Add(id);
            }
        }
        if (ids.Count > MaxIds)
        {
            error = $"Ask for at most {MaxIds} users at once.";
            return false;
        }
        return true;
    }
}
