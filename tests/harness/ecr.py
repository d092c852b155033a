"""Images in moto's ECR, the way `docker push` / `buildx --push` leave them: a single manifest whose config
blob names the platform (the blob in moto's S3, where moto_launch.py's GetDownloadUrlForLayer finds it), or
a multi-platform index whose entries name theirs."""
import hashlib
import json

from .moto import ACCOUNT, REGION, TEST_CREDENTIALS

BLOB_BUCKET = "moto-ecr-blobs"  # moto_launch.ECR_BLOB_BUCKET
INDEX = "application/vnd.oci.image.index.v1+json"
SINGLE = "application/vnd.docker.distribution.manifest.v2+json"


def image_uri(repository, tag, region=REGION):
    return f"{ACCOUNT}.dkr.ecr.{region}.amazonaws.com/{repository}:{tag}"


def _digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def push_image(moto, repository, tag, platforms=("linux/amd64",), index=False, config_blob=True, region=REGION):
    """Puts an image in ECR of `region` (creating the repository) and returns its digest. `index`: an OCI
    index with one entry per platform; else a single manifest for platforms[0], its config blob uploaded
    unless `config_blob` is False."""
    import boto3

    ecr = boto3.client("ecr", region_name=region, endpoint_url=moto.url,
                       aws_access_key_id=TEST_CREDENTIALS["AWS_ACCESS_KEY_ID"],
                       aws_secret_access_key=TEST_CREDENTIALS["AWS_SECRET_ACCESS_KEY"])
    try:
        ecr.create_repository(repositoryName=repository)
    except ecr.exceptions.RepositoryAlreadyExistsException:
        pass
    if index:
        entries = []
        for p in platforms:
            os_, arch, *variant = p.split("/")
            platform = {"architecture": arch, "os": os_, **({"variant": variant[0]} if variant else {})}
            entries.append({"mediaType": "application/vnd.oci.image.manifest.v1+json",
                            "digest": _digest(f"{repository}:{tag}:{p}".encode()), "size": 1000,
                            "platform": platform})
        # buildx adds an attestation manifest with an unknown platform: the check must skip it.
        entries.append({"mediaType": "application/vnd.oci.image.manifest.v1+json",
                        "digest": _digest(f"{repository}:{tag}:att".encode()), "size": 500,
                        "platform": {"architecture": "unknown", "os": "unknown"}})
        manifest = {"schemaVersion": 2, "mediaType": INDEX, "manifests": entries}
        media_type = INDEX
    else:
        os_, arch, *_ = platforms[0].split("/")
        config = json.dumps({"architecture": arch, "os": os_, "config": {"User": "1000:1000"},
                             "rootfs": {"type": "layers", "diff_ids": []}, "tag": tag}).encode()
        config_digest = _digest(config)
        if config_blob:
            s3 = moto.client("s3")
            try:
                s3.create_bucket(Bucket=BLOB_BUCKET)
            except s3.exceptions.BucketAlreadyOwnedByYou:
                pass
            # Readable without signing, as AWS's presigned download URL is.
            s3.put_object(Bucket=BLOB_BUCKET, Key=f"{repository}/{config_digest}", Body=config, ACL="public-read")
        manifest = {"schemaVersion": 2, "mediaType": SINGLE,
                    "config": {"mediaType": "application/vnd.docker.container.image.v1+json",
                               "size": len(config), "digest": config_digest},
                    "layers": [{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": 1000,
                                "digest": _digest(f"{repository}:{tag}:layer".encode())}]}
        media_type = SINGLE
    reply = ecr.put_image(repositoryName=repository, imageTag=tag, imageManifest=json.dumps(manifest),
                          imageManifestMediaType=media_type)
    return reply["image"]["imageId"]["imageDigest"]
