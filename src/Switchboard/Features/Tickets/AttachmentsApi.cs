using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Switchboard.Data;
using Switchboard.Features.Projects;
using Switchboard.Features.Users;
using Switchboard.Infrastructure;
using Switchboard.Infrastructure.Storage;

namespace Switchboard.Features.Tickets;

/// <summary>
/// Files on tickets, under the rules shared with chat: streamed into <see cref="IFileStorage"/> under a
/// generated name, the client's name kept only for display and Content-Disposition, images recognised by
/// their bytes. Downloads go through an unguessable public id and need either a signed, expiring link
/// (the <c>url</c> in the JSON) or the bearer token of a project member; anything else is a 404.
/// </summary>
public static class AttachmentsApi
{
    private const string Octet = "application/octet-stream";

    public static void MapAttachments(this RouteGroupBuilder group)
    {
        group.MapGet("/{id:int}/attachments", List).WithName("tickets_attachments_list")
            .WithSummary("The ticket's attachments, oldest first").ProducesProblem(404);
        group.MapPost("/{id:int}/attachments", Upload).WithName("tickets_attachments_upload")
            .WithSummary("Attach a file (multipart field \"file\"; members and above)")
            .DisableAntiforgery()
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(413).ProducesProblem(415);
        group.MapDelete("/{id:int}/attachments/{attachmentId:int}", Delete).WithName("tickets_attachments_delete")
            .WithSummary("Remove an attachment (its uploader, or an admin or owner)").ProducesProblem(403).ProducesProblem(404);
        group.MapGet("/attachments/{publicId}/download", Download).WithName("tickets_attachments_download")
            .WithSummary("Download an attachment: a signed link, or the bearer token of a project member")
            .AllowAnonymous().ProducesProblem(404);
    }

    internal static string DownloadPath(string publicId) => $"/api/tickets/attachments/{publicId}/download/";

    private static AttachmentDto ToDto(TicketAttachment a, User uploader, HttpRequest request, SignedUrls urls) =>
        new(a.Id, a.FileName, a.FileSize, a.ContentType, $"{request.Scheme}://{request.Host}{request.PathBase}{urls.Sign(DownloadPath(a.PublicId))}",
            null, UserDto.From(uploader), a.CreatedAt);

    public static async Task<Results<Ok<Page<AttachmentDto>>, ProblemHttpResult>> List(
        [AsParameters] PageQuery paging, int id, HttpContext http, AppDbContext db, SignedUrls urls, CancellationToken ct)
    {
        if (await db.TicketAccessAsync(id, http.User.GetUserId(), ct) is null)
        {
            return Problems.NotFound("Ticket not found.");
        }
        if (!PageRequest.TryParse(paging, out var page, out var error))
        {
            return Problems.NotFound(error!);
        }
        var result = await db.Set<TicketAttachment>().AsNoTracking().Include(a => a.UploadedBy)
            .Where(a => a.TicketId == id).OrderBy(a => a.Id)
            .ToPageAsync(http.Request, page, list => list.Select(a => ToDto(a, a.UploadedBy, http.Request, urls)).ToList(), ct);
        return result is null ? Problems.NotFound("Invalid page.") : TypedResults.Ok(result);
    }

    public static async Task<IResult> Upload(int id, HttpContext http, AppDbContext db, IFileStorage storage,
        IOptions<SwitchboardOptions> options, SignedUrls urls, TimeProvider clock, CancellationToken ct)
    {
        var userId = http.User.GetUserId();
        var access = await db.TicketAccessAsync(id, userId, ct);
        if (access is null)
        {
            return Problems.NotFound("Ticket not found.");
        }
        if (access.Role < ProjectRole.Member)
        {
            return Problems.Forbidden("Viewers cannot attach files.");
        }
        var maxBytes = options.Value.Uploads.MaxBytes;
        var (form, failure) = await MultipartUpload.ReadAsync(http.Request, storage, maxBytes, ct);
        if (form is null)
        {
            return MultipartUpload.Problem(failure, maxBytes);
        }
        if (form.File is not { FieldName: "file" } file)
        {
            if (form.File is not null)
            {
                await storage.DeleteAsync(form.File.Stored.StorageKey, CancellationToken.None);
            }
            return Problems.Validation("file", "Send the file in the multipart field \"file\".");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var attachment = new TicketAttachment
        {
            PublicId = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant(),
            TicketId = id,
            StorageKey = file.Stored.StorageKey,
            FileName = file.FileName,
            FileSize = file.Stored.Length,
            ContentType = file.ImageType ?? Octet,
            UploadedById = userId,
            CreatedAt = now,
        };
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            db.Add(attachment);
            db.Add(TicketHistory.Entry(id, userId, now, TicketHistory.Attachment, null, attachment.FileName));
            await db.SaveChangesAsync(ct);
            await db.Set<Ticket>().Where(t => t.Id == id).ExecuteUpdateAsync(s => s.SetProperty(t => t.UpdatedAt, now), ct);
            await tx.CommitAsync(ct);
        }
        catch
        {
            await storage.DeleteAsync(file.Stored.StorageKey, CancellationToken.None);
            throw;
        }
        var uploader = await db.Users.AsNoTracking().SingleAsync(u => u.Id == userId, ct);
        return TypedResults.Created($"/api/tickets/{id}/attachments/{attachment.Id}/", ToDto(attachment, uploader, http.Request, urls));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(int id, int attachmentId, HttpContext http,
        AppDbContext db, IFileStorage storage, TimeProvider clock, CancellationToken ct)
    {
        var userId = http.User.GetUserId();
        var access = await db.TicketAccessAsync(id, userId, ct);
        var attachment = access is null
            ? null
            : await db.Set<TicketAttachment>().SingleOrDefaultAsync(a => a.Id == attachmentId && a.TicketId == id, ct);
        if (access is null || attachment is null)
        {
            return Problems.NotFound(access is null ? "Ticket not found." : "Attachment not found.");
        }
        var mayDelete = access.Role >= ProjectRole.Admin || (attachment.UploadedById == userId && access.Role >= ProjectRole.Member);
        if (!mayDelete)
        {
            return Problems.Forbidden("Only the uploader or a project admin can remove an attachment.");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            db.Remove(attachment);
            db.Add(TicketHistory.Entry(id, userId, now, TicketHistory.Attachment, attachment.FileName, null));
            await db.SaveChangesAsync(ct);
            await db.Set<Ticket>().Where(t => t.Id == id).ExecuteUpdateAsync(s => s.SetProperty(t => t.UpdatedAt, now), ct);
            await tx.CommitAsync(ct);
        }
        // The file goes only once the row is gone: a failed commit leaves both in place.
        await storage.DeleteAsync(attachment.StorageKey, CancellationToken.None);
        return TypedResults.NoContent();
    }

    public static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> Download(string publicId, string? expires, string? sig,
        HttpContext http, AppDbContext db, IFileStorage storage, SignedUrls urls, CancellationToken ct)
    {
        if (publicId.Length != 32 || !publicId.All(char.IsAsciiHexDigitLower))
        {
            return Problems.NotFound("Attachment not found.");
        }
        var attachment = await db.Set<TicketAttachment>().AsNoTracking()
            .Where(a => a.PublicId == publicId)
            .Select(a => new { a.StorageKey, a.FileName, a.ContentType, a.Ticket.ProjectId })
            .SingleOrDefaultAsync(ct);
        if (attachment is null)
        {
            return Problems.NotFound("Attachment not found.");
        }
        var allowed = (expires is not null || sig is not null)
            ? urls.Verify(DownloadPath(publicId), expires, sig)
            : http.User.Identity?.IsAuthenticated == true && await db.RoleAsync(attachment.ProjectId, http.User.GetUserId(), ct) is not null;
        if (!allowed)
        {
            return Problems.NotFound("Attachment not found.");
        }
        var stream = await storage.OpenReadAsync(attachment.StorageKey, ct);
        if (stream is null)
        {
            return Problems.NotFound("Attachment not found.");
        }
        var isImage = attachment.ContentType != Octet;
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.ContentDisposition = MultipartUpload.ContentDisposition(attachment.FileName, inline: isImage);
        http.Response.Headers.CacheControl = "private, max-age=3600";
        return TypedResults.Stream(stream, isImage ? attachment.ContentType : Octet);
    }
}
