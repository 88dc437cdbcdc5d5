using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Switchboard.Data;
using Switchboard.Features.Auth;
using Switchboard.Infrastructure;
using Switchboard.Infrastructure.Storage;

namespace Switchboard.Features.Users;

public sealed record UpdateProfileRequest(string? FirstName, string? LastName, string? Email, bool? ShareReadReceipts,
    bool? EmailNotifications);

/// <summary>The signed-in user as <c>/api/auth/me/</c> shows them: the User object plus their own settings.</summary>
public sealed record MeDto(int Id, string Username, string Email, string FirstName, string LastName, string DisplayName, string? AvatarUrl,
    bool ShareReadReceipts, bool EmailNotifications)
{
    public static MeDto From(User u)
    {
        var user = UserDto.From(u);
        return new(user.Id, user.Username, user.Email, user.FirstName, user.LastName, user.DisplayName, user.AvatarUrl,
            u.ShareReadReceipts, u.EmailNotifications);
    }
}

/// <summary>Profile changes by the signed-in user, and serving avatars to the people who share a project with their owner.</summary>
public static class ProfileApi
{
    public static IEndpointRouteBuilder MapProfiles(this IEndpointRouteBuilder routes)
    {
        var me = routes.MapGroup("/api/auth/me").WithTags("Auth").RequireAuthorization().ProducesProblem(401);
        me.MapPatch("", Update).WithName("auth_me_update")
            .WithSummary("Change the caller's names, email and settings").ProducesValidationProblem();
        me.MapPut("/avatar", PutAvatar).WithName("auth_me_avatar_put")
            .WithSummary("Upload an avatar (multipart field file: PNG, JPEG or WebP, at most 2 MiB); stored as a square WebP of at most 256 px")
            .ProducesValidationProblem().ProducesProblem(413).ProducesProblem(415);
        me.MapDelete("/avatar", DeleteAvatar).WithName("auth_me_avatar_delete").WithSummary("Remove the caller's avatar");

        // Anonymous at the door so that <img src> works: the unguessable avatar id in the path stands
        // in for the bearer token; with a token, the caller must share a project with the user.
        routes.MapGet("/api/users/{id:int}/avatar/{avatarId}", GetAvatar).WithTags("Users").AllowAnonymous()
            .WithName("users_avatar").WithSummary("A user's avatar").ProducesProblem(404);
        return routes;
    }

    public static async Task<Results<Ok<MeDto>, ValidationProblem, ProblemHttpResult>> Update(UpdateProfileRequest body, HttpContext http,
        AppDbContext db, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var firstName = body.FirstName is null ? null : errors.Text("first_name", body.FirstName, 150);
        var lastName = body.LastName is null ? null : errors.Text("last_name", body.LastName, 150);
        var email = body.Email is null ? null : errors.Required("email", body.Email, 254);
        if (email is not null && !AuthApi.IsEmail(email))
        {
            errors.Add("email", "Enter a valid email address.");
        }
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        var id = http.User.GetUserId();
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == id, ct);
        if (user is null)
        {
            return Problems.Unauthorized("User not found.");
        }
        user.FirstName = firstName ?? user.FirstName;
        user.LastName = lastName ?? user.LastName;
        user.Email = email ?? user.Email;
        user.ShareReadReceipts = body.ShareReadReceipts ?? user.ShareReadReceipts;
        user.EmailNotifications = body.EmailNotifications ?? user.EmailNotifications;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(MeDto.From(user));
    }

    public static async Task<Results<Ok<MeDto>, ValidationProblem, ProblemHttpResult>> PutAvatar(HttpContext http, AppDbContext db,
        IFileStorage storage, CancellationToken ct)
    {
        if (!MultipartUpload.IsMultipart(http.Request))
        {
            return TypedResults.Problem("Send the picture as multipart/form-data in the field named file.",
                statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported Media Type");
        }
        var (form, failure) = await MultipartUpload.ReadAsync(http.Request, storage, Avatars.MaxUploadBytes, ct);
        if (form is null)
        {
            return failure switch
            {
                UploadFailure.TooLarge => TypedResults.Problem($"The picture is larger than the limit of {Avatars.MaxUploadBytes} bytes.",
                    statusCode: StatusCodes.Status413PayloadTooLarge, title: "Payload Too Large"),
                UploadFailure.TooManyFiles => Problems.Validation("file", "Send one picture."),
                _ => Problems.BadRequest("The multipart body could not be read."),
            };
        }
        byte[]? avatar = null;
        var upload = form.File;
        if (upload is not null)
        {
            try
            {
                if (upload.FieldName == "file" && upload.ImageType is { } type && Avatars.AcceptedTypes.Contains(type))
                {
                    await using var source = await storage.OpenReadAsync(upload.Stored.StorageKey, ct);
                    avatar = source is null ? null : Avatars.Render(source);
                }
            }
            finally
            {
                // Only the re-encoded picture is kept, never the upload with its metadata.
                await storage.DeleteAsync(upload.Stored.StorageKey, CancellationToken.None);
            }
        }
        if (upload is null || upload.FieldName != "file")
        {
            return Problems.Validation("file", "Send the picture in the field named file.");
        }
        if (avatar is null)
        {
            return Problems.Validation("file", "Upload a valid PNG, JPEG or WebP picture.");
        }

        var stored = await storage.SaveAsync(new MemoryStream(avatar), avatar.Length, ct);
        var id = http.User.GetUserId();
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == id, ct);
        if (user is null)
        {
            await storage.DeleteAsync(stored.StorageKey, CancellationToken.None);
            return Problems.Unauthorized("User not found.");
        }
        var previous = user.AvatarKey;
        user.AvatarKey = stored.StorageKey;
        // A new id per upload: old links stop working and caches never show the old picture.
        user.AvatarId = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        await db.SaveChangesAsync(ct);
        if (previous is not null)
        {
            await storage.DeleteAsync(previous, CancellationToken.None);
        }
        return TypedResults.Ok(MeDto.From(user));
    }

    public static async Task<Results<Ok<MeDto>, ProblemHttpResult>> DeleteAvatar(HttpContext http, AppDbContext db, IFileStorage storage,
        CancellationToken ct)
    {
        var id = http.User.GetUserId();
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == id, ct);
        if (user is null)
        {
            return Problems.Unauthorized("User not found.");
        }
        var previous = user.AvatarKey;
        user.AvatarKey = null;
        user.AvatarId = null;
        await db.SaveChangesAsync(ct);
        if (previous is not null)
        {
            await storage.DeleteAsync(previous, CancellationToken.None);
        }
        return TypedResults.Ok(MeDto.From(user));
    }

    public static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> GetAvatar(int id, string avatarId, HttpContext http,
        AppDbContext db, IFileStorage storage, CancellationToken ct)
    {
        const string notFound = "Avatar not found.";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        if (avatarId.Length > 64)
        {
            return Problems.NotFound(notFound);
        }
        var key = await db.Users.AsNoTracking().Where(u => u.Id == id && u.AvatarId == avatarId).Select(u => u.AvatarKey)
            .SingleOrDefaultAsync(ct);
        if (key is null)
        {
            return Problems.NotFound(notFound);
        }
        if (http.User.Identity?.IsAuthenticated == true)
        {
            var viewer = http.User.GetUserId();
            var sharesProject = viewer == id || await db.ProjectMembers.AnyAsync(a => a.UserId == viewer &&
                db.ProjectMembers.Any(b => b.ProjectId == a.ProjectId && b.UserId == id), ct);
            if (!sharesProject)
            {
                return Problems.NotFound(notFound);
            }
        }
        var stream = await storage.OpenReadAsync(key, ct);
        if (stream is null)
        {
            return Problems.NotFound(notFound);
        }
        // The URL changes with every upload, so a browser may keep the picture.
        http.Response.Headers.CacheControl = "private, max-age=86400, immutable";
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        return TypedResults.Stream(stream, Avatars.ContentType);
    }
}
