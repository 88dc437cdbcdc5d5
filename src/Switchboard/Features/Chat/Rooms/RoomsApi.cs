using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Switchboard.Data;
using Switchboard.Features.Chat.Messages;
using Switchboard.Features.Projects;
using Switchboard.Features.Users;
using Switchboard.Infrastructure;
using Switchboard.Infrastructure.Storage;
using Switchboard.Realtime;

namespace Switchboard.Features.Chat.Rooms;

public sealed record CreateRoomRequest(string? Name, string? Type, int? Project, int[]? ParticipantIds);
public sealed record ParticipantRequest(int? UserId);
public sealed record RenameRoomRequest(string? Name);

public static class RoomsApi
{
    private const string NotFound = "Room not found.";

    public static RouteGroupBuilder MapChatRooms(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/chat/rooms").WithTags("Chat rooms").RequireAuthorization().ProducesProblem(401);

        group.MapGet("", List).WithName("chat_rooms_list").WithSummary("The caller's rooms, newest activity first")
            .ProducesValidationProblem().ProducesProblem(404);
        group.MapPost("", Create).WithName("chat_rooms_create")
            .WithSummary("Create a group room, or open the direct room with one other member (200 when it exists)")
            .ProducesValidationProblem().ProducesProblem(403);
        group.MapGet("/{id:int}", Get).WithName("chat_rooms_get").WithSummary("One room").ProducesProblem(404);
        group.MapPatch("/{id:int}", Rename).WithName("chat_rooms_update")
            .WithSummary("Rename a group room (its creator or a project admin)")
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);
        group.MapDelete("/{id:int}", Delete).WithName("chat_rooms_delete")
            .WithSummary("Delete a room and its messages (its creator or a project admin)").ProducesProblem(403).ProducesProblem(404);
        group.MapPost("/{id:int}/add_participant", AddParticipant).WithName("chat_rooms_add_participant")
            .WithSummary("Add a project member to a group room (its creator or a project admin)")
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);
        group.MapPost("/{id:int}/remove_participant", RemoveParticipant).WithName("chat_rooms_remove_participant")
            .WithSummary("Remove someone from a group room (its creator or a project admin), or leave it")
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);
        return group;
    }

    public static async Task<Results<Ok<Page<RoomDto>>, ValidationProblem, ProblemHttpResult>> List(
        [AsParameters] RoomListQuery filter, [AsParameters] PageQuery paging, HttpContext http, AppDbContext db, RoomQueries rooms,
        CancellationToken ct)
    {
        if (!PageRequest.TryParse(paging, out var page, out var error))
        {
            return Problems.NotFound(error!);
        }
        var userId = http.User.GetUserId();
        var query = db.Set<ChatRoom>().AsNoTracking().Where(r => r.Participants.Any(p => p.UserId == userId));
        var projectText = filter.Project ?? "";
        if (projectText.Length > 0)
        {
            if (!int.TryParse(projectText, out var projectId))
            {
                return Problems.Validation("project", "A valid integer is required.");
            }
            query = query.Where(r => r.ProjectId == projectId);
        }
        var idsPage = await query.OrderByDescending(r => r.LastActivityAt).ThenByDescending(r => r.Id).Select(r => r.Id)
            .ToPageAsync(http.Request, page, ids => ids, ct);
        if (idsPage is null)
        {
            return Problems.NotFound("Invalid page.");
        }
        var results = await rooms.LoadAsync(idsPage.Results.ToList(), userId, ct);
        return TypedResults.Ok(new Page<RoomDto>(idsPage.Count, idsPage.Next, idsPage.Previous, results));
    }

    public static async Task<Results<Created<RoomDto>, Ok<RoomDto>, ValidationProblem, ProblemHttpResult>> Create(
        CreateRoomRequest body, HttpContext http, AppDbContext db, RoomQueries rooms, RoomUserFrames frames, TimeProvider clock,
        CancellationToken ct)
    {
        var userId = http.User.GetUserId();
        var errors = new FieldErrors();
        var type = RoomType.Group;
        if (body.Type is not null && !RoomTypes.TryParse(body.Type, out type))
        {
            errors.Add("type", "Choose group or direct.");
        }
        var name = body.Name is null ? null : errors.Text("name", body.Name, 200);
        if (body.Project is null)
        {
            errors.Add("project", "This field is required.");
        }
        var others = (body.ParticipantIds ?? []).Where(id => id != userId).Distinct().ToList();
        if (body.ParticipantIds is { Length: > 500 })
        {
            errors.Add("participant_ids", "Ensure this field has no more than 500 elements.");
        }
        if (type == RoomType.Direct && others.Count != 1)
        {
            errors.Add("participant_ids", "A direct room takes exactly one other user.");
        }
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var projectId = body.Project!.Value;
        var role = await db.RoleAsync(projectId, userId, ct);
        if (role is null)
        {
            // Not revealing whether a project the caller is not in exists.
            return Problems.Validation("project", "No such project.");
        }
        if (role < ProjectRole.Member)
        {
            return Problems.Forbidden("Viewers can read chat but not create rooms.");
        }
        var members = await db.ProjectMembers.Where(m => m.ProjectId == projectId && others.Contains(m.UserId) && m.User.IsActive)
            .Select(m => m.UserId).ToListAsync(ct);
        var strangers = others.Except(members).ToList();
        if (strangers.Count > 0)
        {
            return Problems.Validation("participant_ids",
                $"Every participant must be a member of the project; these are not: {string.Join(", ", strangers.Take(20))}.");
        }

        var directKey = type == RoomType.Direct ? ChatRoom.DirectKeyFor(projectId, userId, others[0]) : null;
        if (directKey is not null && await ExistingDirectAsync(db, directKey, ct) is { } existing)
        {
            return TypedResults.Ok((await rooms.LoadAsync(existing, userId, ct))!);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var room = new ChatRoom
        {
            Name = string.IsNullOrEmpty(name) ? null : name,
            Type = type,
            ProjectId = projectId,
            CreatedById = userId,
            CreatedAt = now,
            UpdatedAt = now,
            LastActivityAt = now,
            DirectKey = directKey,
        };
        foreach (var id in others.Prepend(userId))
        {
            room.Participants.Add(new ChatParticipant { UserId = id, JoinedAt = now });
        }
        db.Add(room);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (directKey is not null && ProblemDetailsExceptionHandler.IsUniqueViolation(e))
        {
            // Both people opened the conversation at once: the other request made the room.
            db.ChangeTracker.Clear();
            var winner = await ExistingDirectAsync(db, directKey, ct);
            return TypedResults.Ok((await rooms.LoadAsync(winner!.Value, userId, ct))!);
        }
        await frames.AddedAsync(room.Id, [.. others.Prepend(userId)], ct);
        return TypedResults.Created($"/api/chat/rooms/{room.Id}/", (await rooms.LoadAsync(room.Id, userId, ct))!);
    }

    private static async Task<int?> ExistingDirectAsync(AppDbContext db, string directKey, CancellationToken ct) =>
        await db.Set<ChatRoom>().Where(r => r.DirectKey == directKey).Select(r => (int?)r.Id).SingleOrDefaultAsync(ct);

    public static async Task<Results<Ok<RoomDto>, ProblemHttpResult>> Get(int id, HttpContext http, AppDbContext db, RoomQueries rooms,
        CancellationToken ct)
    {
        var userId = http.User.GetUserId();
        if (await db.RoomAccessAsync(id, userId, ct) is null)
        {
            return Problems.NotFound(NotFound);
        }
        var room = await rooms.LoadAsync(id, userId, ct);
        return room is null ? Problems.NotFound(NotFound) : TypedResults.Ok(room);
    }

    public static async Task<Results<Ok<RoomDto>, ValidationProblem, ProblemHttpResult>> Rename(int id, RenameRoomRequest body,
        HttpContext http, AppDbContext db, RoomQueries rooms, RoomUserFrames frames, TimeProvider clock, CancellationToken ct)
    {
        var userId = http.User.GetUserId();
        var access = await db.RoomAccessAsync(id, userId, ct);
        if (access is null)
        {
            return Problems.NotFound(NotFound);
        }
        if (access.Type == RoomType.Direct)
        {
            return Problems.BadRequest("A direct room has no name of its own.");
        }
        if (!access.CanManage)
        {
            return Problems.Forbidden("Only the room's creator or a project admin can rename it.");
        }
        var errors = new FieldErrors();
        // An empty name clears it: the room is then shown by its people's names.
        var name = errors.Required("name", body.Name, 200, minLength: 0);
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        var updated = await db.Set<ChatRoom>().Where(r => r.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.Name, string.IsNullOrEmpty(name) ? null : name)
            .SetProperty(r => r.UpdatedAt, clock.GetUtcNow().UtcDateTime), ct);
        if (updated == 0)
        {
            return Problems.NotFound(NotFound);
        }
        await frames.UpdatedAsync(id, ct);
        return TypedResults.Ok((await rooms.LoadAsync(id, userId, ct))!);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(int id, HttpContext http, AppDbContext db,
        IFileStorage storage, IRoomEvents events, RoomUserFrames frames, ILogger<ChatRoom> logger, CancellationToken ct)
    {
        var userId = http.User.GetUserId();
        var access = await db.RoomAccessAsync(id, userId, ct);
        if (access is null)
        {
            return Problems.NotFound(NotFound);
        }
        if (access.CreatedById != userId && !access.IsProjectAdmin)
        {
            return Problems.Forbidden("Only the room's creator or a project admin can delete it.");
        }
        var participants = await db.Set<ChatParticipant>().Where(p => p.RoomId == id).Select(p => p.UserId).ToListAsync(ct);
        var files = await db.Set<ChatMessage>().Where(m => m.RoomId == id && m.AttachmentKey != null)
            .Select(m => new { m.AttachmentKey, m.ThumbnailKey }).ToListAsync(ct);
        // Messages, participants and reactions go with the room (cascading foreign keys).
        if (await db.Set<ChatRoom>().Where(r => r.Id == id).ExecuteDeleteAsync(ct) == 0)
        {
            return Problems.NotFound(NotFound);
        }
        foreach (var key in files.SelectMany(f => new[] { f.AttachmentKey, f.ThumbnailKey }).OfType<string>())
        {
            try
            {
                await storage.DeleteAsync(key, CancellationToken.None);
            }
            catch (IOException e)
            {
                logger.LogWarning(e, "Could not delete a file of deleted room {RoomId}", id);
            }
        }
        await events.PublishAsync(new RoomEvent(id, new RoomDeletedFrame(id), Effect: RoomEventEffect.CloseRoom), ct);
        await frames.RemovedAsync(id, participants, ct);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<RoomDto>, ValidationProblem, ProblemHttpResult>> AddParticipant(
        int id, ParticipantRequest body, HttpContext http, AppDbContext db, RoomQueries rooms, IRoomEvents events,
        RoomUserFrames frames, TimeProvider clock, CancellationToken ct)
    {
        var userId = http.User.GetUserId();
        var access = await db.RoomAccessAsync(id, userId, ct);
        if (access is null)
        {
            return Problems.NotFound(NotFound);
        }
        if (access.Type == RoomType.Direct)
        {
            return Problems.BadRequest("A direct room always has exactly its two people.");
        }
        if (!access.CanManage)
        {
            return Problems.Forbidden("Only the room's creator or a project admin can add people.");
        }
        if (body.UserId is null)
        {
            return Problems.Validation("user_id", "This field is required.");
        }
        var user = await db.ProjectMembers.Where(m => m.ProjectId == access.ProjectId && m.UserId == body.UserId && m.User.IsActive)
            .Select(m => m.User).AsNoTracking().SingleOrDefaultAsync(ct);
        if (user is null)
        {
            return Problems.Validation("user_id", "The user must be a member of the room's project.");
        }
        var joined = false;
        if (!await db.Set<ChatParticipant>().AnyAsync(p => p.RoomId == id && p.UserId == user.Id, ct))
        {
            var now = clock.GetUtcNow().UtcDateTime;
            db.Add(new ChatParticipant { RoomId = id, UserId = user.Id, JoinedAt = now });
            try
            {
                await db.SaveChangesAsync(ct);
                joined = true;
            }
            catch (DbUpdateException e) when (ProblemDetailsExceptionHandler.IsUniqueViolation(e))
            {
                // Added by someone else at the same moment: the outcome is the same.
            }
            db.ChangeTracker.Clear();
        }
        if (joined)
        {
            await events.PublishAsync(new RoomEvent(id, new UserJoinedFrame(UserDto.From(user))), ct);
            await frames.AddedAsync(id, [user.Id], ct);
            await frames.UpdatedAsync(id, ct, user.Id);
        }
        return TypedResults.Ok((await rooms.LoadAsync(id, userId, ct))!);
    }

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> RemoveParticipant(
        int id, ParticipantRequest body, HttpContext http, AppDbContext db, IRoomEvents events, RoomUserFrames frames,
        CancellationToken ct)
    {
        var userId = http.User.GetUserId();
        var access = await db.RoomAccessAsync(id, userId, ct);
        if (access is null)
        {
            return Problems.NotFound(NotFound);
        }
        if (access.Type == RoomType.Direct)
        {
            return Problems.BadRequest("A direct room always has exactly its two people.");
        }
        if (body.UserId is null)
        {
            return Problems.Validation("user_id", "This field is required.");
        }
        var target = body.UserId.Value;
        if (target != userId && !access.CanManage)
        {
            return Problems.Forbidden("Only the room's creator or a project admin can remove people.");
        }
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == target, ct);
        var removed = user is null ? 0 : await db.Set<ChatParticipant>().Where(p => p.RoomId == id && p.UserId == target).ExecuteDeleteAsync(ct);
        if (removed == 0)
        {
            return Problems.Validation("user_id", "This user is not in the room.");
        }
        await events.PublishAsync(new RoomEvent(id, new UserLeftFrame(UserDto.From(user!)),
            Effect: RoomEventEffect.DisconnectUser, AffectedUserId: target), ct);
        await frames.RemovedAsync(id, [target], ct);
        await frames.UpdatedAsync(id, ct);
        return TypedResults.NoContent();
    }
}

public sealed class RoomListQuery
{
    [FromQuery(Name = "project"), System.ComponentModel.Description("Only rooms of this project (an id).")]
    public string? Project { get; init; }
}
