using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Switchboard.Data;
using Switchboard.Features.Notifications;
using Switchboard.Features.Projects;
using Switchboard.Features.TicketsInChat;
using Switchboard.Infrastructure;

namespace Switchboard.Features.Tickets;

/// <summary>
/// Comments on a ticket. Members and above comment; only the author edits; the author or an admin
/// deletes. Every change also writes a "comment" history entry and keeps the ticket's comment_count
/// (an atomic increment, in the same transaction) and updated_at current.
/// </summary>
public static class CommentsApi
{
    public const int BodyMax = 10_000;

    public static void MapComments(this RouteGroupBuilder group)
    {
        group.MapGet("/{id:int}/comments", List).WithName("tickets_comments_list")
            .WithSummary("The ticket's comments, oldest first").ProducesProblem(404);
        group.MapPost("/{id:int}/comments", Create).WithName("tickets_comments_create")
            .WithSummary("Comment on the ticket (members and above)")
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);
        group.MapPatch("/{id:int}/comments/{commentId:int}", Update).WithName("tickets_comments_update")
            .WithSummary("Edit a comment (its author)")
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);
        group.MapDelete("/{id:int}/comments/{commentId:int}", Delete).WithName("tickets_comments_delete")
            .WithSummary("Delete a comment (its author, or an admin or owner)").ProducesProblem(403).ProducesProblem(404);
    }

    public static async Task<Results<Ok<Page<CommentDto>>, ProblemHttpResult>> List([AsParameters] PageQuery paging, int id, HttpContext http, AppDbContext db, CancellationToken ct)
    {
        if (await db.TicketAccessAsync(id, http.User.GetUserId(), ct) is null)
        {
            return Problems.NotFound("Ticket not found.");
        }
        if (!PageRequest.TryParse(paging, out var page, out var error))
        {
            return Problems.NotFound(error!);
        }
        var result = await db.Set<TicketComment>().AsNoTracking().Include(c => c.Author)
            .Where(c => c.TicketId == id).OrderBy(c => c.CreatedAt).ThenBy(c => c.Id)
            .ToPageAsync(http.Request, page, list => list.Select(CommentDto.From).ToList(), ct);
        return result is null ? Problems.NotFound("Invalid page.") : TypedResults.Ok(result);
    }

    public static async Task<Results<Created<CommentDto>, ValidationProblem, ProblemHttpResult>> Create(
        int id, CommentRequest body, HttpContext http, AppDbContext db, TicketEvents events, Notifier notifier, DiscussionSync discussion,
        TicketFeeds feeds, TimeProvider clock, CancellationToken ct)
    {
        var userId = http.User.GetUserId();
        var access = await db.TicketAccessAsync(id, userId, ct);
        if (access is null)
        {
            return Problems.NotFound("Ticket not found.");
        }
        if (access.Role < ProjectRole.Member)
        {
            return Problems.Forbidden("Viewers cannot comment.");
        }
        var errors = new FieldErrors();
        var text = errors.Required("body", body.Body, BodyMax);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var comment = new TicketComment { TicketId = id, AuthorId = userId, Body = text!, CreatedAt = now, UpdatedAt = now };
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            db.Add(comment);
            db.Add(TicketHistory.Entry(id, userId, now, TicketHistory.Comment, null, comment.Body));
            await db.SaveChangesAsync(ct);
            await db.Set<Ticket>().Where(t => t.Id == id)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.CommentCount, t => t.CommentCount + 1).SetProperty(t => t.UpdatedAt, now), ct);
            await notifier.AddAsync(db, id, access.ProjectId, userId, NotificationTypes.TicketCommented, comment.Body, now, ct);
            await db.SaveChangesAsync(ct);
            // The discussion's reply and the feed's message commit with the comment.
            await discussion.OnCommentAddedAsync(comment, ct);
            await feeds.OnTicketEventAsync(id, TicketFeedEvents.Commented, userId, new FeedDetails(CommentId: comment.Id), ct);
            await tx.CommitAsync(ct);
        }
        await notifier.PublishAsync(ct);
        var dto = await db.Set<TicketComment>().AsNoTracking().Include(c => c.Author).Where(c => c.Id == comment.Id)
            .Select(c => CommentDto.From(c)).SingleAsync(ct);
        await events.CommentAsync(TicketEvents.CommentAdded, id, dto, ct);
        await discussion.PublishAsync(ct);
        return TypedResults.Created($"/api/tickets/{id}/comments/{comment.Id}/", dto);
    }

    public static async Task<Results<Ok<CommentDto>, ValidationProblem, ProblemHttpResult>> Update(
        int id, int commentId, CommentRequest body, HttpContext http, AppDbContext db, TicketEvents events, DiscussionSync discussion,
        TimeProvider clock, CancellationToken ct)
    {
        var userId = http.User.GetUserId();
        var access = await db.TicketAccessAsync(id, userId, ct);
        var comment = access is null
            ? null
            : await db.Set<TicketComment>().Include(c => c.Author).SingleOrDefaultAsync(c => c.Id == commentId && c.TicketId == id, ct);
        if (access is null || comment is null)
        {
            return Problems.NotFound(access is null ? "Ticket not found." : "Comment not found.");
        }
        if (comment.AuthorId != userId || access.Role < ProjectRole.Member)
        {
            return Problems.Forbidden("Only the comment's author can edit it.");
        }
        var errors = new FieldErrors();
        var text = errors.Required("body", body.Body, BodyMax);
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        if (text != comment.Body)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            // The mirrored reply's row first: both sides lock the message before the comment.
            await discussion.OnCommentEditingAsync(commentId, text!, ct);
            db.Add(TicketHistory.Entry(id, userId, now, TicketHistory.Comment, comment.Body, text));
            comment.Body = text!;
            comment.IsEdited = true;
            comment.UpdatedAt = now;
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Deleted meanwhile (from the ticket, or through its reply in the discussion).
                discussion.Discard();
                return Problems.NotFound("Comment not found.");
            }
            await db.Set<Ticket>().Where(t => t.Id == id).ExecuteUpdateAsync(s => s.SetProperty(t => t.UpdatedAt, now), ct);
            await tx.CommitAsync(ct);
            await events.CommentAsync(TicketEvents.CommentEdited, id, CommentDto.From(comment), ct);
            await discussion.PublishAsync(ct);
        }
        return TypedResults.Ok(CommentDto.From(comment));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(
        int id, int commentId, HttpContext http, AppDbContext db, TicketEvents events, DiscussionSync discussion, TimeProvider clock,
        CancellationToken ct)
    {
        var userId = http.User.GetUserId();
        var access = await db.TicketAccessAsync(id, userId, ct);
        var comment = access is null
            ? null
            : await db.Set<TicketComment>().Include(c => c.Author).SingleOrDefaultAsync(c => c.Id == commentId && c.TicketId == id, ct);
        if (access is null || comment is null)
        {
            return Problems.NotFound(access is null ? "Ticket not found." : "Comment not found.");
        }
        var mayDelete = access.Role >= ProjectRole.Admin || (comment.AuthorId == userId && access.Role >= ProjectRole.Member);
        if (!mayDelete)
        {
            return Problems.Forbidden("Only the comment's author or a project admin can delete it.");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            // The mirrored reply first (the lock order), then the comment; a delete that lost a race
            // with the same delete from the thread's side finds nothing and answers 404.
            await discussion.OnCommentDeletingAsync(commentId, ct);
            if (await db.Set<TicketComment>().Where(c => c.Id == commentId).ExecuteDeleteAsync(ct) == 0)
            {
                discussion.Discard();
                return Problems.NotFound("Comment not found.");
            }
            db.Add(TicketHistory.Entry(id, userId, now, TicketHistory.Comment, comment.Body, null));
            await db.SaveChangesAsync(ct);
            await db.Set<Ticket>().Where(t => t.Id == id)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.CommentCount, t => t.CommentCount - 1).SetProperty(t => t.UpdatedAt, now), ct);
            await tx.CommitAsync(ct);
        }
        await events.CommentAsync(TicketEvents.CommentDeleted, id, CommentDto.From(comment), ct);
        await discussion.PublishAsync(ct);
        return TypedResults.NoContent();
    }
}
