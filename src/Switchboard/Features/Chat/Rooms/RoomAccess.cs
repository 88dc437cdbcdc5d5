using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Switchboard.Data;
using Switchboard.Features.Projects;
using Switchboard.Features.Users;

namespace Switchboard.Features.Chat.Rooms;

/// <summary>What the caller may do in a room: the one question REST, attachments and sockets all ask.</summary>
/// <param name="Caller">The calling user's row, read in the same query (a sent message's frame needs it).</param>
public sealed record RoomAccess(int RoomId, int ProjectId, int CreatedById, RoomType Type, ProjectRole Role, UserRow Caller)
{
    public bool CanWrite => Role >= ProjectRole.Member;
    public bool IsProjectAdmin => Role >= ProjectRole.Admin;

    // Renaming a room and changing its people: a project admin, or its creator while they may still write.
    public bool CanManage => IsProjectAdmin || (CreatedById == Caller.Id && CanWrite);
}

public static class RoomAccessQueries
{
    /// <returns>
    /// The caller's access, or null when the room does not exist, the caller is not a participant,
    /// or no longer a member of its project: all of these answer 404.
    /// </returns>
    public static async Task<RoomAccess?> RoomAccessAsync(this AppDbContext db, int roomId, int userId, CancellationToken ct)
    {
        var query = AccessQueries.GetValue(db.Model, static _ => CompileAccessQuery());
        var row = await query(db, roomId, userId, ct);
        return row?.Role is { } role ? new RoomAccess(roomId, row.ProjectId, row.CreatedById, row.Type, role, row.Caller) : null;
    }

    // Compiled once per model (SQLite and PostgreSQL each have theirs, and a test process runs both):
    // every message sent asks this, and a LINQ query pays for walking its expression tree and
    // looking up the query cache on each call (about a tenth of a send's CPU in a profile).
    private static readonly ConditionalWeakTable<IModel, Func<AppDbContext, int, int, CancellationToken, Task<AccessRow?>>> AccessQueries = new();

    private static Func<AppDbContext, int, int, CancellationToken, Task<AccessRow?>> CompileAccessQuery() =>
        EF.CompileAsyncQuery((AppDbContext db, int roomId, int userId, CancellationToken ct) => db.Set<ChatParticipant>().AsNoTracking()
            .Where(p => p.RoomId == roomId && p.UserId == userId)
            .Select(p => new AccessRow(
                p.Room.ProjectId,
                p.Room.CreatedById,
                p.Room.Type,
                new UserRow(p.User.Id, p.User.Username, p.User.Email, p.User.FirstName, p.User.LastName, p.User.AvatarId),
                db.ProjectMembers.Where(m => m.ProjectId == p.Room.ProjectId && m.UserId == userId)
                    .Select(m => (ProjectRole?)m.Role).FirstOrDefault()))
            .SingleOrDefault());

    private sealed record AccessRow(int ProjectId, int CreatedById, RoomType Type, UserRow Caller, ProjectRole? Role);

    /// <summary>Ids of the rooms the user is in now, as a query to compose with.</summary>
    public static IQueryable<int> RoomIdsOf(this AppDbContext db, int userId) =>
        db.Set<ChatParticipant>().Where(p => p.UserId == userId).Select(p => p.RoomId);
}
