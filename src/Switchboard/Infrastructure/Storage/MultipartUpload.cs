using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Switchboard.Infrastructure.Storage;

/// <summary>A streamed multipart form: its text fields and at most one file, already in storage.</summary>
public sealed record UploadedForm(Dictionary<string, string> Fields, UploadedFile? File);

/// <param name="FileName">The client's name, cleaned (<see cref="FileChecks.CleanFileName"/>).</param>
/// <param name="ImageType">The image type the bytes really are, or null.</param>
public sealed record UploadedFile(string FieldName, string FileName, string ClientContentType, StoredFile Stored, string? ImageType);

public enum UploadFailure
{
    None,
    NotMultipart,
    Malformed,
    TooLarge,
    TooManyFiles,
    DiskFull,
}

/// <summary>
/// Reads a multipart body part by part, straight into storage: the file is never buffered whole,
/// and an over-limit upload is refused with 413 from its Content-Length before anything is read,
/// or as soon as the limit is crossed while streaming.
/// </summary>
public static class MultipartUpload
{
    private const int MaxFieldLength = 64 * 1024;
    private const int MaxFields = 32;
    // Room for the form's boundaries and text fields on top of the file itself.
    private const long FormOverhead = 256 * 1024;

    public static bool IsMultipart(HttpRequest request) =>
        request.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) == true;

    public static async Task<(UploadedForm? Form, UploadFailure Failure)> ReadAsync(
        HttpRequest request, IFileStorage storage, long maxFileBytes, CancellationToken ct)
    {
        if (!IsMultipart(request) || !MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType))
        {
            return (null, UploadFailure.NotMultipart);
        }
        var boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value;
        if (string.IsNullOrEmpty(boundary) || boundary.Length > 200)
        {
            return (null, UploadFailure.Malformed);
        }
        if (request.ContentLength > maxFileBytes + FormOverhead)
        {
            return (null, UploadFailure.TooLarge);
        }
        var sizeFeature = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = maxFileBytes + FormOverhead;
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        UploadedFile? file = null;
        var reader = new MultipartReader(boundary, request.Body) { HeadersLengthLimit = 16 * 1024 };
        try
        {
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) ||
                    !disposition.DispositionType.Equals("form-data"))
                {
                    return await FailAsync(UploadFailure.Malformed);
                }
                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                if (disposition.IsFileDisposition())
                {
                    if (file is not null)
                    {
                        return await FailAsync(UploadFailure.TooManyFiles);
                    }
                    var stored = await storage.SaveAsync(section.Body, maxFileBytes, ct);
                    var clientName = disposition.FileNameStar.HasValue ? disposition.FileNameStar.Value : HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
                    file = new UploadedFile(name, FileChecks.CleanFileName(clientName), section.ContentType ?? "application/octet-stream",
                        stored, FileChecks.SniffImage(stored.Head));
                }
                else
                {
                    if (fields.Count >= MaxFields)
                    {
                        return await FailAsync(UploadFailure.Malformed);
                    }
                    using var text = new StreamReader(section.Body, Encoding.UTF8);
                    var buffer = new char[MaxFieldLength + 1];
                    var length = await text.ReadBlockAsync(buffer, ct);
                    // A field longer than any we accept is cut; its validation rule then rejects it.
                    fields[name] = new string(buffer, 0, length);
                }
            }
        }
        catch (FileTooLargeException)
        {
            return await FailAsync(UploadFailure.TooLarge);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return await FailAsync(UploadFailure.TooLarge);
        }
        catch (IOException e) when (IsDiskFull(e))
        {
            // The server's fault, not the client's: an operator must hear of it.
            request.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(MultipartUpload))
                .LogError("Upload refused: the upload storage is full ({Error})", e.Message);
            return await FailAsync(UploadFailure.DiskFull);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            return await FailAsync(UploadFailure.Malformed);
        }
        return (new UploadedForm(fields, file), UploadFailure.None);

        async Task<(UploadedForm?, UploadFailure)> FailAsync(UploadFailure failure)
        {
            if (file is not null)
            {
                await storage.DeleteAsync(file.Stored.StorageKey, CancellationToken.None);
            }
            return (null, failure);
        }
    }

    // ENOSPC and EDQUOT on Linux and macOS (.NET puts errno in HResult there); ERROR_DISK_FULL and
    // ERROR_HANDLE_DISK_FULL on Windows.
    internal static bool IsDiskFull(IOException e) =>
        e.HResult is 28 or 122 or 69 or unchecked((int)0x80070070) or unchecked((int)0x80070027);

    /// <summary>The problem answer for a failed upload.</summary>
    public static IResult Problem(UploadFailure failure, long maxFileBytes) => failure switch
    {
        UploadFailure.TooLarge => TypedResults.Problem($"The file is larger than the limit of {maxFileBytes} bytes.",
            statusCode: StatusCodes.Status413PayloadTooLarge, title: "Payload Too Large"),
        UploadFailure.NotMultipart => TypedResults.Problem("Send the file as multipart/form-data.",
            statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported Media Type"),
        UploadFailure.TooManyFiles => Problems.Validation("file", "Send one file per request."),
        UploadFailure.DiskFull => DiskFullProblem(),
        _ => Problems.BadRequest("The multipart body could not be read."),
    };

    public static ProblemHttpResult DiskFullProblem() =>
        TypedResults.Problem("The server has no room to store the file right now; nothing was stored. Try again later.",
            statusCode: StatusCodes.Status507InsufficientStorage, title: "Insufficient Storage");

    /// <summary>
    /// Content-Disposition for serving a stored file: the original name survives, safely encoded
    /// (RFC 6266 filename*), so no header injection or path trick can come through it.
    /// </summary>
    public static string ContentDisposition(string fileName, bool inline)
    {
        var header = new ContentDispositionHeaderValue(inline ? "inline" : "attachment");
        header.SetHttpFileName(fileName);
        return header.ToString();
    }
}
