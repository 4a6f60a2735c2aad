namespace FunctionsUploader.Vendors.Panopto;

/// <summary>A session upload's State (Panopto's UploadStatus, SessionUploadExample).</summary>
public enum PanoptoUploadState
{
    Uploading = 0,
    UploadComplete = 1,
    UploadCancelled = 2,
    Processing = 3,
    Complete = 4,
    ProcessingError = 5,
    DeletingFiles = 6,
    Deleted = 7,
    DeletingError = 8,
}
