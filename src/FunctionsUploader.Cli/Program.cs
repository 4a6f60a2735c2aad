// The `uploader` command line arrives with the workflow issue.
Console.Error.WriteLine("uploader: not built yet; see the README.");
return 2;
