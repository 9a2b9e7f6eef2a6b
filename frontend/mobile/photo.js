// A camera photo made small on the phone before it is queued: at most 1280 px on its long side,
// JPEG, and under MAX_BYTES (the server refuses anything over 600 KB).
export const MAX_BYTES = 500 * 1024
const STEPS = [
  [1280, 0.72],
  [1024, 0.6],
  [800, 0.5],
]

async function decode(file) {
  if (globalThis.createImageBitmap) return createImageBitmap(file)
  const url = URL.createObjectURL(file)
  try {
    const image = new Image()
    image.src = url
    await image.decode()
    return image
  } finally {
    URL.revokeObjectURL(url)
  }
}

function toBlob(canvas, quality) {
  return new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', quality))
}

function base64Of(blob) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => resolve(String(reader.result).split(',', 2)[1])
    reader.onerror = () => reject(reader.error)
    reader.readAsDataURL(blob)
  })
}

export async function downscale(file) {
  const image = await decode(file)
  for (const [side, quality] of STEPS) {
    const scale = Math.min(1, side / Math.max(image.width, image.height))
    const canvas = document.createElement('canvas')
    canvas.width = Math.round(image.width * scale)
    canvas.height = Math.round(image.height * scale)
    canvas.getContext('2d').drawImage(image, 0, 0, canvas.width, canvas.height)
    const blob = await toBlob(canvas, quality)
    if (blob && blob.size <= MAX_BYTES) {
      return { content_type: 'image/jpeg', base64: await base64Of(blob), size: blob.size, width: canvas.width, height: canvas.height }
    }
  }
  throw new Error('photo too large')
}
