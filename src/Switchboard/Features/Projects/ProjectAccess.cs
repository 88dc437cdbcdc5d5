using Microsoft.EntityFrameworkCore;
using Switchboard.Data;

namespace Switchboard.Features.Projects;

/// <summary>The one question every project-scoped endpoint asks: what is this user's role here, if any?</summary>
public static class ProjectAccess
{
    /// <returns>The caller's role, or null when the project does not exist or the caller is not a member (both answer 404).</returns>
    public static async Task<ProjectRole?> RoleAsync(this AppDbContext db, int projectId, int userId, CancellationToken ct) =>
        await db.ProjectMembers.AsNoTracking()
            .Where(m => m.ProjectId == projectId && m.UserId == userId)
            .Select(m => (ProjectRole?)m.Role)
            .SingleOrDefaultAsync(ct);

    /// <summary>Ids of every project the user belongs to, as a query to compose with.</summary>
    public static IQueryable<int> ProjectIdsOf(this AppDbContext db, int userId) =>
        db.ProjectMembers.Where(m => m.UserId == userId).Select(m => m.ProjectId);
}
