extension ConvolutionGeometry {
  /// Writes the patch matrix of a batch of NHWC images ("im2col"; TensorFlow
  /// `tf.extract_image_patches` with this kernel, stride and padding, reshaped to rows).
  ///
  /// ```
  /// patches[(b·Oh + oh)·Ow + ow, (i·kw + j)·c_in + c] = x[b, oh·sh − padTop + i, ow·sw − padLeft + j, c]
  /// ```
  /// with zeros where the window leaves the image. With the kernel reshaped to `[kh·kw·c_in, c_out]`
  /// the convolution is the product `patches · W`, whose `[B·Oh·Ow, c_out]` rows are the NHWC output
  /// (Chellapilla, Puri & Simard 2006, "High performance convolutional neural networks for document
  /// processing"). In NHWC one kernel row of a patch, `kw·c_in` values, is contiguous in the image,
  /// so the copy moves whole runs.
  /// - Parameters:
  ///   - input: `batch` images, `H·W·c_in` values each.
  ///   - patches: room for `batch·Oh·Ow·kh·kw·c_in` values.
  public func extractPatches(
    from input: UnsafePointer<Float>, batch: Int, into patches: UnsafeMutablePointer<Float>
  ) {
    let channels = inputChannels, height = inputHeight, width = inputWidth
    let run = kernelWidth * channels
    let patchLength = patchSize
    let imageLength = inputCount
    var destination = patches
    for b in 0..<batch {
      let image = input + b * imageLength
      for oh in 0..<outputHeight {
        let top = oh * strideHeight - padTop
        for ow in 0..<outputWidth {
          let left = ow * strideWidth - padLeft
          let inside = left >= 0 && left + kernelWidth <= width
          for i in 0..<kernelHeight {
            let row = top + i
            let out = destination + i * run
            if row < 0 || row >= height {
              out.update(repeating: 0, count: run)
            } else if inside {
              // An inline loop, not `update(from:count:)`: runs are short (32 floats for nature_cnn's
              // first layer), and a `memmove` call per run costs more than the copy.
              let from = image + (row * width + left) * channels
              for k in 0..<run { out[k] = from[k] }
            } else {
              for j in 0..<kernelWidth {
                let column = left + j
                if column < 0 || column >= width {
                  (out + j * channels).update(repeating: 0, count: channels)
                } else {
                  (out + j * channels).update(from: image + (row * width + column) * channels, count: channels)
                }
              }
            }
          }
          destination += patchLength
        }
      }
    }
  }

  /// The adjoint of ``extractPatches(from:batch:into:)`` ("col2im"): sums every patch gradient back
  /// onto the image positions it was read from, overwriting `inputGradient`.
  ///
  /// ```
  /// ∂L/∂x[b, y, x, c] = Σ over (oh, ow, i, j) with oh·sh − padTop + i = y, ow·sw − padLeft + j = x
  ///                      of ∂L/∂patches[(b·Oh + oh)·Ow + ow, (i·kw + j)·c_in + c]
  /// ```
  /// Gradients of padding positions are dropped.
  /// - Parameters:
  ///   - patchGradients: `batch·Oh·Ow` rows of `kh·kw·c_in` values.
  ///   - inputGradient: room for `batch·H·W·c_in` values.
  public func accumulatePatchGradients(
    _ patchGradients: UnsafePointer<Float>, batch: Int, into inputGradient: UnsafeMutablePointer<Float>
  ) {
    let channels = inputChannels, height = inputHeight, width = inputWidth
    let run = kernelWidth * channels
    let patchLength = patchSize
    let imageLength = inputCount
    inputGradient.update(repeating: 0, count: batch * imageLength)
    var source = patchGradients
    for b in 0..<batch {
      let image = inputGradient + b * imageLength
      for oh in 0..<outputHeight {
        let top = oh * strideHeight - padTop
        for ow in 0..<outputWidth {
          let left = ow * strideWidth - padLeft
          let inside = left >= 0 && left + kernelWidth <= width
          for i in 0..<kernelHeight {
            let row = top + i
            if row < 0 || row >= height { continue }
            let from = source + i * run
            if inside {
              let to = image + (row * width + left) * channels
              for k in 0..<run { to[k] += from[k] }
            } else {
              for j in 0..<kernelWidth {
                let column = left + j
                if column < 0 || column >= width { continue }
                let to = image + (row * width + column) * channels
                let fromChannels = from + j * channels
                for c in 0..<channels { to[c] += fromChannels[c] }
              }
            }
          }
          source += patchLength
        }
      }
    }
  }
}
