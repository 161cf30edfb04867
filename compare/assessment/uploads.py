"""Uploads stay in memory, never on disk, and a request carries at most MAX_UPLOAD_BYTES of
files in all: beyond it the files are dropped and the request says so (`upload_too_large`),
so the form can explain instead of failing."""

import io

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile

from compare.assessment.rvtools import MAX_UPLOAD_BYTES


class BoundedMemoryUploadHandler(FileUploadHandler):
    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.buffer = io.BytesIO()

    def receive_data_chunk(self, raw_data, start):
        received = getattr(self.request, "upload_bytes", 0) + len(raw_data)
        self.request.upload_bytes = received
        if received > MAX_UPLOAD_BYTES or getattr(self.request, "upload_too_large", False):
            self.request.upload_too_large = True
            raise SkipFile
        self.buffer.write(raw_data)
        return None

    def file_complete(self, file_size):
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )
